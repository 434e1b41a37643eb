/** Converse stop reasons and token usage -> OpenAI finish_reason and usage. */
import type { StopReason, TokenUsage } from "@aws-sdk/client-bedrock-runtime";
import type { CompletionUsage, FinishReason } from "../chat/index.js";

export function finishReason(stopReason: StopReason | string | undefined): FinishReason {
  switch (stopReason) {
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default:
      // end_turn, stop_sequence, and the malformed_* reasons (nothing better to say in OpenAI's vocabulary).
      return "stop";
  }
}

/** Bedrock's inputTokens excludes cache reads and writes; OpenAI's prompt_tokens counts all input. */
export function toUsage(usage: TokenUsage | undefined): CompletionUsage {
  const input = usage?.inputTokens ?? 0;
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  const completion = usage?.outputTokens ?? 0;
  const prompt = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

/** Tokens billed at the plain input price. */
export function uncachedInputTokens(usage: CompletionUsage): number {
  return (
    usage.prompt_tokens - usage.prompt_tokens_details.cached_tokens - usage.prompt_tokens_details.cache_write_tokens
  );
}
