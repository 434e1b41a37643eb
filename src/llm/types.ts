/**
 * OpenAI chat-completions shapes, in and out. Agents written for that shape (OpenHands, the openai package)
 * work unchanged, and the gateway passes them through. This file is a contract shared with cli and gateway.
 */
import type { ReasoningEffort, ServiceTier } from "../config/types.js";

export interface TextContentPart {
  type: "text";
  text: string;
  /** Anthropic-style hint kept by some agents; a cache point is placed after this part. */
  cache_control?: { type: "ephemeral"; ttl?: "5m" | "1h" };
}

export interface ImageContentPart {
  type: "image_url";
  /** data: URL (data:image/png;base64,...) or raw base64. Remote URLs are refused (Bedrock cannot fetch). */
  image_url: { url: string; detail?: "auto" | "low" | "high" };
}

export type ContentPart = TextContentPart | ImageContentPart;

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A reasoning block as Bedrock returned it: sent back unchanged (signature intact) in the next turn. */
export interface ThinkingBlock {
  type: "thinking" | "redacted_thinking";
  thinking?: string;
  signature?: string;
  /** base64 of redactedContent. */
  data?: string;
}

export interface SystemMessage {
  role: "system" | "developer";
  content: string | TextContentPart[];
  name?: string;
}

export interface UserMessage {
  role: "user";
  content: string | ContentPart[];
  name?: string;
}

export interface AssistantMessage {
  role: "assistant";
  content?: string | TextContentPart[] | null;
  tool_calls?: ToolCall[];
  reasoning_content?: string | null;
  thinking_blocks?: ThinkingBlock[];
  name?: string;
}

export interface ToolMessage {
  role: "tool";
  tool_call_id: string;
  content: string | TextContentPart[];
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface FunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ToolChoice = "auto" | "none" | "required" | { type: "function"; function: { name: string } };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean };
    };

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  /** Overrides the configured model for this call (a "bedrock/..." id or bare id). */
  model?: string;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  response_format?: ResponseFormat;
  reasoning_effort?: ReasoningEffort;
  service_tier?: ServiceTier;
  /** Cancels the call; the stream ends with AbortedError. */
  signal?: AbortSignal;
  /** Per-call timeout in seconds, overriding the configured one. */
  timeout?: number;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface CompletionUsage {
  /** All input tokens: inputTokens + cache reads + cache writes (Bedrock's inputTokens excludes both). */
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ToolCall[];
  reasoning_content?: string | null;
  thinking_blocks?: ThinkingBlock[];
  refusal: null;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: { index: number; message: ChatCompletionMessage; finish_reason: FinishReason; logprobs: null }[];
  usage: CompletionUsage;
  service_tier?: string;
  /** Guardrail trace when guardrail_config.trace is on and the guardrail assessed the call. */
  guardrail_trace?: unknown;
  /** Cost of this call in USD. */
  cost?: number;
}

export interface ChatCompletionChunkToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: "assistant";
      content?: string | null;
      reasoning_content?: string;
      thinking_blocks?: ThinkingBlock[];
      tool_calls?: ChatCompletionChunkToolCallDelta[];
    };
    finish_reason: FinishReason | null;
    logprobs: null;
  }[];
  /** Present on the last chunk only. */
  usage?: CompletionUsage | null;
  guardrail_trace?: unknown;
  cost?: number;
}

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
