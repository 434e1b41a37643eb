/** Converse stop reasons and token usage -> OpenAI finish_reason and usage. */
import type { CacheDetail, StopReason, TokenUsage } from "@aws-sdk/client-bedrock-runtime";
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
  const result: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
  const byTtl = writesByTtl(usage?.cacheDetails);
  if (byTtl) result.prompt_tokens_details.cache_write_tokens_by_ttl = byTtl;
  return result;
}

/** cacheDetails (cache writes per TTL) summed by TTL; undefined when Bedrock sent none. */
function writesByTtl(details: CacheDetail[] | undefined): { "5m"?: number; "1h"?: number } | undefined {
  if (!details || details.length === 0) return undefined;
  const byTtl: { "5m"?: number; "1h"?: number } = {};
  for (const detail of details) {
    // Bedrock spells the TTLs "5m" / "1h"; some recordings show "T5M"-style durations.
    const ttl = /1h|T1H/i.test(detail.ttl ?? "") ? "1h" : "5m";
    byTtl[ttl] = (byTtl[ttl] ?? 0) + (detail.inputTokens ?? 0);
  }
  return byTtl;
}

/** Tokens billed at the plain input price. */
export function uncachedInputTokens(usage: CompletionUsage): number {
  return (
    usage.prompt_tokens - usage.prompt_tokens_details.cached_tokens - usage.prompt_tokens_details.cache_write_tokens
  );
}
