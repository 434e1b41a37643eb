/**
 * Titan Text Embeddings on InvokeModel, one text per call. V2: {inputText, dimensions (256 | 512 | 1024),
 * normalize: true} (normalised, as OpenAI's vectors are); G1: {inputText} only. The response's `embedding` and
 * `inputTextTokenCount`.
 */
import type { EmbeddingFamily } from "./types.js";
import { unexpectedBody } from "./types.js";

export const titanV2: EmbeddingFamily = {
  batches: (texts, { dimensions }) =>
    texts.map((inputText) => ({
      body: dimensions === undefined ? { inputText, normalize: true } : { inputText, dimensions, normalize: true },
      texts: [inputText],
    })),
  read: readTitan,
};

export const titanV1: EmbeddingFamily = {
  batches: (texts) => texts.map((inputText) => ({ body: { inputText }, texts: [inputText] })),
  read: readTitan,
};

function readTitan(body: unknown) {
  const { embedding, inputTextTokenCount } = (body ?? {}) as { embedding?: unknown; inputTextTokenCount?: unknown };
  if (!Array.isArray(embedding)) throw unexpectedBody("Titan");
  const tokens = typeof inputTextTokenCount === "number" ? inputTextTokenCount : undefined;
  return { vectors: [embedding as number[]], tokens };
}
