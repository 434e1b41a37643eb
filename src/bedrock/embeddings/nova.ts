/**
 * Amazon Nova Multimodal Embeddings on InvokeModel, text only, one text per call: {schemaVersion, taskType
 * "SINGLE_EMBEDDING", singleEmbeddingParams {embeddingPurpose, embeddingDimension, text {truncationMode "NONE",
 * value}}}. The input type picks the purpose (documents are indexed, queries retrieve); "NONE" has Bedrock refuse
 * an over-long text rather than cut it, as OpenAI does. The response's `embeddings[0].embedding`.
 */
import type { EmbeddingInputType } from "./types.js";
import { type EmbeddingFamily, unexpectedBody } from "./types.js";

const PURPOSE: Record<EmbeddingInputType, string> = {
  search_document: "GENERIC_INDEX",
  search_query: "GENERIC_RETRIEVAL",
  classification: "CLASSIFICATION",
  clustering: "CLUSTERING",
};

export const nova: EmbeddingFamily = {
  batches: (texts, { dimensions, inputType }) =>
    texts.map((value) => {
      const params: Record<string, unknown> = {
        embeddingPurpose: PURPOSE[inputType],
        text: { truncationMode: "NONE", value },
      };
      if (dimensions !== undefined) params.embeddingDimension = dimensions;
      return {
        body: {
          schemaVersion: "nova-multimodal-embed-v1",
          taskType: "SINGLE_EMBEDDING",
          singleEmbeddingParams: params,
        },
        texts: [value],
      };
    }),
  read(body) {
    const first = (body as { embeddings?: { embedding?: unknown }[] } | undefined)?.embeddings?.[0];
    if (!Array.isArray(first?.embedding)) throw unexpectedBody("Nova");
    return { vectors: [first.embedding as number[]] };
  },
};
