export type { AuthMethod, ResolvedAuth } from "./auth/index.js";
export { getCallerIdentity, resolveAuth } from "./auth/index.js";
export { configFromObject, loadConfig, parseConfig, redact, type SectionTable, sectionsOf } from "./config/index.js";
export type * from "./config/types.js";
export * from "./errors.js";
export type { RunningGateway } from "./gateway/index.js";
export { startGateway } from "./gateway/index.js";
export type {
  CreateEmbeddingResponse,
  EmbeddingData,
  EmbeddingInputType,
  EmbeddingRequest,
  LLMOptions,
  TokenCount,
} from "./llm/index.js";
export { LLM } from "./llm/index.js";
export type * from "./llm/types.js";
export { listModels, lookupModel, parseModelId, resolveModel } from "./models/index.js";
export type * from "./models/types.js";
