/**
 * The facade's own records (one per call, and the running totals), plus the chat-completions shapes it takes and
 * returns, re-exported from their home in src/chat so `import type { ChatMessage } from "bedrock-llm"` keeps working.
 */
export type {
  AssistantMessage,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionChunkToolCallDelta,
  ChatCompletionMessage,
  ChatCompletionRequest,
  ChatMessage,
  CompletionUsage,
  ContentPart,
  FinishReason,
  FunctionTool,
  ImageContentPart,
  ResponseFormat,
  SystemMessage,
  TextContentPart,
  ThinkingBlock,
  ToolCall,
  ToolChoice,
  ToolMessage,
  UserMessage,
} from "../chat/index.js";

export interface CallRecord {
  model: string;
  latencyMs: number;
  /** Streams only. */
  timeToFirstTokenMs?: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cost: number;
  retries: number;
}

export interface MetricsSnapshot {
  accumulated_cost: number;
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  retries: number;
  calls: CallRecord[];
}
