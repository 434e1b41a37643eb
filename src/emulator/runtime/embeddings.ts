/**
 * InvokeModel on an embedding model: each family's native body in, its native response out, with Bedrock's
 * input-token header. Embedding models have no Converse, no stream and no CountTokens.
 */
import type { RuntimeResult } from "../types.js";
import { cohereEmbedding } from "./embed-cohere.js";
import { novaEmbedding } from "./embed-nova.js";
import { titanEmbedding } from "./embed-titan.js";
import { validation } from "./errors.js";
import type { EmbeddingSpec } from "./models.js";

export interface EmbeddingResult {
  body: Record<string, unknown>;
  inputTokens: number;
}

function embed(body: unknown, spec: EmbeddingSpec): EmbeddingResult {
  switch (spec.family) {
    case "titan-v1":
    case "titan-v2":
      return titanEmbedding(body, spec);
    case "cohere-v3":
    case "cohere-v4":
      return cohereEmbedding(body, spec);
    case "nova-multimodal":
      return novaEmbedding(body, spec);
  }
}

/** Deterministic, documented latency: 20 ms plus 1 ms per 100 input tokens. */
function latencyMs(inputTokens: number): number {
  return 20 + Math.floor(inputTokens / 100);
}

export function invokeEmbedding(body: unknown, spec: EmbeddingSpec): RuntimeResult {
  const result = embed(body, spec);
  return {
    kind: "json",
    status: 200,
    body: result.body,
    headers: {
      "content-type": "application/json",
      "x-amzn-bedrock-input-token-count": String(result.inputTokens),
      "x-amzn-bedrock-invocation-latency": String(latencyMs(result.inputTokens)),
    },
  };
}

/** What Bedrock answers when a chat-only operation names an embedding model. */
export function notForEmbeddings(operation: string): Error {
  if (operation === "InvokeModelWithResponseStream") {
    return validation("The model is unsupported for streaming.");
  }
  return validation(
    "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
  );
}
