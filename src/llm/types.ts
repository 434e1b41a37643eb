/**
 * The facade's own records (one per call, and the running totals), plus the chat-completions shapes it takes and
 * returns, re-exported from their home in src/chat so `import type { ChatMessage } from "bedrock-llm"` keeps working.
 */
export type {
  AssistantMessage,
  CallOptions,
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

import type { SectionRouting } from "./routing/stats.js";

export type { SectionRouting };

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
  /** The section that served the call ("llm" or the NAME of [llm.NAME]). */
  servedBy: string;
  /** Sections the call fell back from, in order (absent when it fell back from none). */
  fellBackFrom?: string[];
}

export interface MetricsSnapshot {
  accumulated_cost: number;
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  retries: number;
  /** Calls that left a section for its fallback. */
  fallbacks: number;
  /** Times a deployment was cooled down after throttling. */
  cooldowns: number;
  /** Streams that broke after content and went on on another deployment. */
  stream_recoveries: number;
  /** The same, and the calls each section served, per section. */
  routing: Record<string, SectionRouting>;
  calls: CallRecord[];
}
