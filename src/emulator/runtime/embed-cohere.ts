/**
 * Cohere Embed on InvokeModel. v3 (English, Multilingual): {input_type, texts (<= 96, <= 2048 characters each) |
 * images (one data URI), truncate NONE | START | END, embedding_types}. v4: the same plus inputs (interleaved
 * text / image_url parts), output_dimension 256 | 512 | 1024 | 1536, max_tokens, truncate NONE | LEFT | RIGHT.
 * Response {id, texts, embeddings, response_type}: "embeddings_floats" (a list of float vectors) when v3 is asked for
 * no embedding_types, else "embeddings_by_type" ({float?, int8?, uint8?, binary?, ubinary?}); v4 always by type.
 */
import { randomUUID } from "node:crypto";
import { cohereTyped, embedParts, embedText } from "./embedding-vectors.js";
import type { EmbeddingResult } from "./embeddings.js";
import { validation } from "./errors.js";
import { Violations } from "./json-schema-errors.js";
import type { EmbeddingSpec } from "./models.js";
import { IMAGE_TOKENS, textTokens } from "./tokens.js";

const INPUT_TYPES = ["search_document", "search_query", "classification", "clustering"];
const EMBEDDING_TYPES = ["float", "int8", "uint8", "binary", "ubinary"];
const TOO_LONG = "Input is too long for requested model.";

interface Dialect {
  keys: readonly string[];
  inputTypes: readonly string[];
  truncate: readonly string[];
  maxImages: number;
}

const V3: Dialect = {
  keys: ["input_type", "texts", "images", "truncate", "embedding_types"],
  inputTypes: [...INPUT_TYPES, "image"],
  truncate: ["NONE", "START", "END"],
  maxImages: 1,
};
const V4: Dialect = {
  keys: [...V3.keys, "inputs", "output_dimension", "max_tokens"],
  inputTypes: INPUT_TYPES,
  truncate: ["NONE", "LEFT", "RIGHT"],
  maxImages: 96,
};

/** One thing to embed: text, an image, or (v4 inputs) a mix of both. */
interface Item {
  text: string;
  images: string[];
}

export function cohereEmbedding(raw: unknown, spec: EmbeddingSpec): EmbeddingResult {
  const dialect = spec.family === "cohere-v4" ? V4 : V3;
  const body = validate(raw, spec, dialect);
  const maxTokens = (body.max_tokens as number | undefined) ?? spec.maxInputTokens;
  const truncate = (body.truncate as string | undefined) ?? "NONE";
  const items = inputItems(body).map((item) => fitTokens(item, maxTokens, truncate));
  const dimension = (body.output_dimension as number | undefined) ?? spec.defaultDimension;
  const floats = items.map((item) => embedItem(item, dimension));
  const requested = body.embedding_types as string[] | undefined;
  const texts = items.filter((item) => item.images.length === 0).map((item) => item.text);
  const result: Record<string, unknown> = { id: randomUUID(), texts };
  if (requested === undefined && dialect === V3) {
    result.embeddings = floats;
    result.response_type = "embeddings_floats";
  } else {
    const byType: Record<string, number[][]> = {};
    for (const type of requested ?? ["float"]) byType[type] = floats.map((vector) => cohereTyped(vector, type));
    result.embeddings = byType;
    result.response_type = "embeddings_by_type";
  }
  const inputTokens = items.reduce((sum, item) => sum + itemTokens(item), 0);
  return { body: result, inputTokens };
}

function validate(raw: unknown, spec: EmbeddingSpec, dialect: Dialect): Record<string, unknown> {
  const v = new Violations();
  if (!v.type(raw, "#", "JSONObject")) v.check();
  const body = raw as Record<string, unknown>;
  const inputs = ["texts", "images", "inputs"].filter((key) => body[key] !== undefined);
  v.keys(body, "#", dialect.keys, inputs.length === 0 ? ["texts", "input_type"] : ["input_type"]);
  if (inputs.length > 1) v.add("#", `only one of [${inputs.join(", ")}] may be provided`);
  if (body.input_type !== undefined && v.type(body.input_type, "#/input_type", "String")) {
    v.oneOf(body.input_type, "#/input_type", dialect.inputTypes);
  }
  if (body.texts !== undefined && v.list(body.texts, "#/texts", 1, spec.maxTexts)) {
    (body.texts as unknown[]).forEach((text, i) => {
      v.text(text, `#/texts/${i}`, 1, spec.maxTextChars);
    });
  }
  if (body.images !== undefined && v.list(body.images, "#/images", 1, dialect.maxImages)) {
    (body.images as unknown[]).forEach((image, i) => {
      if (v.type(image, `#/images/${i}`, "String") && !(image as string).startsWith("data:image/")) {
        v.add(`#/images/${i}`, "string does not match pattern ^data:image/");
      }
    });
  }
  if (body.inputs !== undefined && dialect.keys.includes("inputs")) checkInputs(body.inputs, spec, v);
  if (body.truncate !== undefined) v.oneOf(body.truncate, "#/truncate", dialect.truncate);
  if (body.embedding_types !== undefined && v.list(body.embedding_types, "#/embedding_types", 1, 5)) {
    (body.embedding_types as unknown[]).forEach((type, i) => {
      v.oneOf(type, `#/embedding_types/${i}`, EMBEDDING_TYPES);
    });
  }
  if (body.output_dimension !== undefined && dialect.keys.includes("output_dimension")) {
    v.oneOf(body.output_dimension, "#/output_dimension", spec.dimensions);
  }
  if (body.max_tokens !== undefined && dialect.keys.includes("max_tokens")) {
    const value = body.max_tokens as number;
    if (v.type(value, "#/max_tokens", "Integer")) {
      if (value < 1) v.add("#/max_tokens", `${value} is not greater or equal to 1`);
      if (value > spec.maxInputTokens) v.add("#/max_tokens", `${value} is not less or equal to ${spec.maxInputTokens}`);
    }
  }
  v.check();
  return body;
}

function checkInputs(inputs: unknown, spec: EmbeddingSpec, v: Violations): void {
  if (!v.list(inputs, "#/inputs", 1, spec.maxTexts)) return;
  (inputs as unknown[]).forEach((input, i) => {
    const pointer = `#/inputs/${i}`;
    if (!v.type(input, pointer, "JSONObject")) return;
    const content = (input as Record<string, unknown>).content;
    if (!v.list(content, `${pointer}/content`, 1, Number.POSITIVE_INFINITY)) return;
    (content as unknown[]).forEach((part, j) => {
      const at = `${pointer}/content/${j}`;
      if (!v.type(part, at, "JSONObject")) return;
      const p = part as Record<string, unknown>;
      v.oneOf(p.type, `${at}/type`, ["text", "image_url"]);
      if (p.type === "text") v.text(p.text, `${at}/text`, 1, Number.POSITIVE_INFINITY);
      if (p.type === "image_url") v.type(p.image_url, `${at}/image_url`, "String");
    });
  });
}

function inputItems(body: Record<string, unknown>): Item[] {
  if (Array.isArray(body.texts)) return (body.texts as string[]).map((text) => ({ text, images: [] }));
  if (Array.isArray(body.images)) return (body.images as string[]).map((image) => ({ text: "", images: [image] }));
  return (body.inputs as { content: Record<string, unknown>[] }[]).map(({ content }) => ({
    text: content
      .filter((p) => p.type === "text")
      .map((p) => p.text as string)
      .join(" "),
    images: content.filter((p) => p.type === "image_url").map((p) => p.image_url as string),
  }));
}

function itemTokens(item: Item): number {
  return textTokens(item.text) + item.images.length * IMAGE_TOKENS;
}

/** Applies `truncate` when an input has more tokens than the model (or max_tokens) allows. */
function fitTokens(item: Item, maxTokens: number, truncate: string): Item {
  if (itemTokens(item) <= maxTokens) return item;
  if (truncate === "NONE") throw validation(TOO_LONG);
  const keep = Math.max(0, (maxTokens - item.images.length * IMAGE_TOKENS) * 4);
  const fromStart = truncate === "START" || truncate === "LEFT";
  return { ...item, text: fromStart ? item.text.slice(item.text.length - keep) : item.text.slice(0, keep) };
}

function embedItem(item: Item, dimension: number): number[] {
  return item.images.length === 0 ? embedText(item.text, dimension) : embedParts(item.text, item.images, dimension);
}
