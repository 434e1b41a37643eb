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
  prompt_tokens_details: {
    cached_tokens: number;
    cache_write_tokens: number;
    /** Cache writes per TTL, from Bedrock's cacheDetails (writes with a 1-hour TTL cost more). */
    cache_write_tokens_by_ttl?: { "5m"?: number; "1h"?: number };
  };
  completion_tokens_details?: { reasoning_tokens?: number };
}

/** Where a cited passage sits in its source document (Bedrock's CitationLocation, one member set). */
export type CitationLocation = Record<string, { documentIndex?: number; start?: number; end?: number } | undefined>;

/** One source a passage of the reply relies on, as Bedrock returns it. */
export interface CitationSource {
  title?: string;
  source?: string;
  /** The cited passages of the source document. */
  source_content: string[];
  location?: CitationLocation;
}

/**
 * A passage of the reply and the sources it cites (Converse citationsContent). `start` / `end` locate the passage
 * in the message's content, which holds every passage's text in order.
 */
export interface MessageCitation {
  text: string;
  start: number;
  end: number;
  sources: CitationSource[];
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  /** Extension: the cited passages of content, when a document asked for citations. */
  citations?: MessageCitation[];
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
  /** The fields additional_model_response_field_paths asked for, as the model returned them. */
  additional_model_response_fields?: Record<string, unknown>;
  /** The configuration section that answered ("llm" or the NAME of [llm.NAME]), after any fallback. */
  served_by?: string;
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
      /** Extension: a source the text that follows cites (Converse citationsDelta), before that text. */
      citations?: CitationSource[];
    };
    finish_reason: FinishReason | null;
    logprobs: null;
  }[];
  /** Present on the last chunk only. */
  usage?: CompletionUsage | null;
  guardrail_trace?: unknown;
  cost?: number;
  /** Last chunk only: the fields additional_model_response_field_paths asked for. */
  additional_model_response_fields?: Record<string, unknown>;
  /** Last chunk only: the configuration section that answered. */
  served_by?: string;
}
