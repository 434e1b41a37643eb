/**
 * The translation layer between OpenAI chat-completions shapes and Bedrock Converse, without I/O: the LLM facade
 * (src/llm) sends what this builds. Exposed for tools that need the exact Converse input a request becomes.
 */
export { type ClassifiedError, classifyError, type ErrorContext } from "./errors.js";
export { buildProfile } from "./profile.js";
export { THINKING_BUDGETS } from "./reasoning.js";
export { buildConverseInput, DEFAULT_MAX_TOKENS } from "./request.js";
export { toChatCompletion } from "./response.js";
export { StreamTranslator } from "./stream.js";
export type { CachePolicy, ConverseInput, ModelProfile } from "./types.js";
export { finishReason, toUsage } from "./usage.js";
