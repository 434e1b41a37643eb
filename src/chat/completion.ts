/**
 * What a chat-completions call returns, in OpenAI's shapes: one completion, or chunks of a stream. Built by the
 * library, never parsed, so plain interfaces.
 */
import type { ThinkingBlock, ToolCall } from "./messages.js";

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
