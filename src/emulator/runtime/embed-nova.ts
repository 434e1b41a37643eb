/**
 * Amazon Nova Multimodal Embeddings on InvokeModel (text): {schemaVersion "nova-multimodal-embed-v1", taskType
 * "SINGLE_EMBEDDING", singleEmbeddingParams {embeddingPurpose, embeddingDimension 256 | 384 | 1024 | 3072 (default
 * 3072), text {truncationMode START | END | NONE, value}}} -> {embeddings: [{embeddingType: "TEXT", embedding,
 * truncatedCharLength?}]}. Image, audio and video inputs are not modelled: the emulator refuses them by name.
 */
import { embedText } from "./embedding-vectors.js";
import type { EmbeddingResult } from "./embeddings.js";
import { validation } from "./errors.js";
import { Violations } from "./json-schema-errors.js";
import type { EmbeddingSpec } from "./models.js";
import { textTokens } from "./tokens.js";

const SCHEMA_VERSION = "nova-multimodal-embed-v1";
const PURPOSES = [
  "GENERIC_INDEX",
  "GENERIC_RETRIEVAL",
  "TEXT_RETRIEVAL",
  "IMAGE_RETRIEVAL",
  "VIDEO_RETRIEVAL",
  "DOCUMENT_RETRIEVAL",
  "AUDIO_RETRIEVAL",
  "CLASSIFICATION",
  "CLUSTERING",
];
const MODALITIES = ["text", "image", "audio", "video"];

export function novaEmbedding(raw: unknown, spec: EmbeddingSpec): EmbeddingResult {
  const v = new Violations();
  if (!v.type(raw, "#", "JSONObject")) v.check();
  const body = raw as Record<string, unknown>;
  v.keys(body, "#", ["schemaVersion", "taskType", "singleEmbeddingParams", "segmentedEmbeddingParams"], ["taskType"]);
  if (body.schemaVersion !== undefined) v.oneOf(body.schemaVersion, "#/schemaVersion", [SCHEMA_VERSION]);
  if (body.taskType !== undefined) v.oneOf(body.taskType, "#/taskType", ["SINGLE_EMBEDDING", "SEGMENTED_EMBEDDING"]);
  v.check();
  if (body.taskType !== "SINGLE_EMBEDDING") {
    throw validation("taskType SEGMENTED_EMBEDDING is only supported by StartAsyncInvoke. Use SINGLE_EMBEDDING.");
  }
  if (body.singleEmbeddingParams === undefined) v.add("#", "required key [singleEmbeddingParams] not found");
  else checkParams(body.singleEmbeddingParams, spec, v);
  v.check();

  const params = body.singleEmbeddingParams as Record<string, unknown>;
  const modality = MODALITIES.find((m) => params[m] !== undefined);
  if (modality !== "text") {
    throw validation(`The emulator embeds text only: singleEmbeddingParams.${modality} is not supported.`);
  }
  const text = params.text as Record<string, unknown>;
  if (text.value === undefined) {
    throw validation("The emulator embeds inline text only: singleEmbeddingParams.text.source is not supported.");
  }
  let value = text.value as string;
  let truncatedCharLength: number | undefined;
  if (textTokens(value) > spec.maxInputTokens) {
    if (text.truncationMode === "NONE") throw validation("Input is too long for requested model.");
    const keep = spec.maxInputTokens * 4;
    value = text.truncationMode === "START" ? value.slice(value.length - keep) : value.slice(0, keep);
    truncatedCharLength = keep;
  }
  const dimension = (params.embeddingDimension as number | undefined) ?? spec.defaultDimension;
  const entry: Record<string, unknown> = { embeddingType: "TEXT", embedding: embedText(value, dimension) };
  if (truncatedCharLength !== undefined) entry.truncatedCharLength = truncatedCharLength;
  return { body: { embeddings: [entry] }, inputTokens: textTokens(value) };
}

function checkParams(raw: unknown, spec: EmbeddingSpec, v: Violations): void {
  const pointer = "#/singleEmbeddingParams";
  if (!v.type(raw, pointer, "JSONObject")) return;
  const params = raw as Record<string, unknown>;
  v.keys(params, pointer, ["embeddingPurpose", "embeddingDimension", ...MODALITIES], ["embeddingPurpose"]);
  if (params.embeddingPurpose !== undefined) v.oneOf(params.embeddingPurpose, `${pointer}/embeddingPurpose`, PURPOSES);
  if (params.embeddingDimension !== undefined) {
    v.oneOf(params.embeddingDimension, `${pointer}/embeddingDimension`, spec.dimensions);
  }
  const given = MODALITIES.filter((m) => params[m] !== undefined);
  if (given.length !== 1) {
    v.add(pointer, `exactly one of [${MODALITIES.join(", ")}] must be provided, found: ${given.length}`);
    return;
  }
  if (given[0] !== "text" || !v.type(params.text, `${pointer}/text`, "JSONObject")) return;
  const text = params.text as Record<string, unknown>;
  v.keys(text, `${pointer}/text`, ["truncationMode", "value", "source"], ["truncationMode"]);
  if (text.truncationMode !== undefined) {
    v.oneOf(text.truncationMode, `${pointer}/text/truncationMode`, ["START", "END", "NONE"]);
  }
  if (text.value === undefined && text.source === undefined) v.add(`${pointer}/text`, "required key [value] not found");
  if (text.value !== undefined) v.text(text.value, `${pointer}/text/value`, 1, spec.maxTextChars);
}
