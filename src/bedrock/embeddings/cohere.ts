/**
 * Cohere Embed on InvokeModel: {texts (up to 96), input_type, embedding_types: ["float"]} per call, a longer list
 * split into runs of 96 and rejoined in order by the caller; v4 adds `output_dimension`. Truncation stays Bedrock's
 * default (NONE): a text over the limit is refused, not silently cut. The response holds the float vectors as a
 * list ("embeddings_floats") or under `float` ("embeddings_by_type").
 */
import { chunks, type EmbeddingFamily, unexpectedBody } from "./types.js";

export const cohereV3: EmbeddingFamily = {
  batches: (texts, { inputType }, support) =>
    chunks(texts, support.maxTexts).map((run) => ({
      body: { texts: run, input_type: inputType, embedding_types: ["float"] },
      texts: run,
    })),
  read: readCohere,
};

export const cohereV4: EmbeddingFamily = {
  batches: (texts, { inputType, dimensions }, support) =>
    chunks(texts, support.maxTexts).map((run) => {
      const body: Record<string, unknown> = { texts: run, input_type: inputType, embedding_types: ["float"] };
      if (dimensions !== undefined) body.output_dimension = dimensions;
      return { body, texts: run };
    }),
  read: readCohere,
};

function readCohere(body: unknown) {
  const embeddings = (body as { embeddings?: unknown } | undefined)?.embeddings;
  const vectors = Array.isArray(embeddings) ? embeddings : (embeddings as { float?: unknown } | undefined)?.float;
  if (!Array.isArray(vectors)) throw unexpectedBody("Cohere");
  return { vectors: vectors as number[][] };
}
