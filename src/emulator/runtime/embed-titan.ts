/**
 * Titan Text Embeddings on InvokeModel. G1: {inputText} -> {embedding, inputTextTokenCount}. V2: {inputText,
 * dimensions (256 | 512 | 1024), normalize (default true), embeddingTypes (["float"] | ["binary"] | both)} ->
 * {embedding (always float), inputTextTokenCount, embeddingsByType}.
 */
import { embedText, titanBinary } from "./embedding-vectors.js";
import type { EmbeddingResult } from "./embeddings.js";
import { validation } from "./errors.js";
import { Violations } from "./json-schema-errors.js";
import type { EmbeddingSpec } from "./models.js";
import { textTokens } from "./tokens.js";

const V2_KEYS = ["inputText", "dimensions", "normalize", "embeddingTypes"];
const TYPES = ["float", "binary"];

export function titanEmbedding(raw: unknown, spec: EmbeddingSpec): EmbeddingResult {
  const v = new Violations();
  if (!v.type(raw, "#", "JSONObject")) v.check();
  const body = raw as Record<string, unknown>;
  const v2 = spec.family === "titan-v2";
  v.keys(body, "#", v2 ? V2_KEYS : ["inputText"], ["inputText"]);
  if (body.inputText !== undefined) v.text(body.inputText, "#/inputText", 1, spec.maxTextChars);
  if (body.dimensions !== undefined && v.type(body.dimensions, "#/dimensions", "Integer")) {
    v.oneOf(body.dimensions, "#/dimensions", spec.dimensions);
  }
  if (body.normalize !== undefined) v.type(body.normalize, "#/normalize", "Boolean");
  if (body.embeddingTypes !== undefined && v.list(body.embeddingTypes, "#/embeddingTypes", 1, TYPES.length)) {
    (body.embeddingTypes as unknown[]).forEach((type, i) => {
      v.oneOf(type, `#/embeddingTypes/${i}`, TYPES);
    });
  }
  v.check();

  const text = body.inputText as string;
  const inputTokens = textTokens(text);
  if (inputTokens > spec.maxInputTokens) {
    throw validation(
      `400 Bad Request: Too many input tokens. Max input tokens: ${spec.maxInputTokens}, request input token count: ${inputTokens}`,
    );
  }
  const dimension = (body.dimensions as number | undefined) ?? spec.defaultDimension;
  const embedding = embedText(text, dimension, body.normalize !== false);
  if (!v2) return { body: { embedding, inputTextTokenCount: inputTokens }, inputTokens };
  const types = (body.embeddingTypes as string[] | undefined) ?? ["float"];
  const embeddingsByType: Record<string, number[]> = {};
  if (types.includes("binary")) embeddingsByType.binary = titanBinary(embedding);
  if (types.includes("float")) embeddingsByType.float = embedding;
  return { body: { embedding, inputTextTokenCount: inputTokens, embeddingsByType }, inputTokens };
}
