/**
 * The embedding models the emulator serves on InvokeModel, with the limits of each body. Sources: AWS Bedrock user
 * guide pages "Amazon Titan Embeddings G1 - Text" (V2 request and response), "Cohere Embed v3", "Cohere Embed v4",
 * and the Amazon Nova user guide's "Complete embeddings request and response schema". Appended to MODELS.
 */
import type { EmbeddingSpec, Geography, ModelSpec } from "./models.js";

const NOT_A_CHAT_MODEL = {
  tools: false,
  toolChoice: [],
  system: false,
  images: false,
  documents: false,
  cacheMinTokens: 0,
  cacheInTools: false,
  oneHourCache: false,
  thinking: "none",
  effort: false,
  structuredOutput: false,
  maxOutputTokens: 0,
} as const;

function embedder(
  id: string,
  name: string,
  provider: ModelSpec["provider"],
  embedding: EmbeddingSpec,
  profiles: readonly Geography[] = [],
): ModelSpec {
  return { ...NOT_A_CHAT_MODEL, id, name, provider, onDemand: true, profiles, embedding };
}

const COHERE_V3: EmbeddingSpec = {
  family: "cohere-v3",
  dimensions: [1024],
  defaultDimension: 1024,
  maxInputTokens: 512,
  maxTextChars: 2048,
  maxTexts: 96,
};

export const EMBEDDING_MODELS: readonly ModelSpec[] = [
  embedder("amazon.titan-embed-text-v1", "Titan Embeddings G1 - Text", "amazon-titan", {
    family: "titan-v1",
    dimensions: [1536],
    defaultDimension: 1536,
    maxInputTokens: 8192,
    maxTextChars: 50_000,
    maxTexts: 1,
  }),
  embedder("amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "amazon-titan", {
    family: "titan-v2",
    dimensions: [256, 512, 1024],
    defaultDimension: 1024,
    maxInputTokens: 8192,
    maxTextChars: 50_000,
    maxTexts: 1,
  }),
  embedder("cohere.embed-english-v3", "Cohere Embed English v3", "cohere", COHERE_V3),
  embedder("cohere.embed-multilingual-v3", "Cohere Embed Multilingual v3", "cohere", COHERE_V3),
  embedder(
    "cohere.embed-v4:0",
    "Cohere Embed v4",
    "cohere",
    {
      family: "cohere-v4",
      dimensions: [256, 512, 1024, 1536],
      defaultDimension: 1536,
      maxInputTokens: 128_000,
      maxTextChars: Number.POSITIVE_INFINITY,
      maxTexts: 96,
    },
    ["us", "eu", "apac"],
  ),
  embedder("amazon.nova-2-multimodal-embeddings-v1:0", "Nova Multimodal Embeddings", "amazon-nova", {
    family: "nova-multimodal",
    dimensions: [256, 384, 1024, 3072],
    defaultDimension: 3072,
    maxInputTokens: 8192,
    maxTextChars: 50_000,
    maxTexts: 1,
  }),
];
