/** What Bedrock adds to native InvokeModel responses: token-count headers and invocation metrics. */
import type { Turn } from "./shapes.js";

export function invocationMetrics(turn: Turn): Record<string, number> {
  return {
    inputTokenCount: turn.usage.inputTokens,
    outputTokenCount: turn.usage.outputTokens,
    invocationLatency: turn.latencyMs,
    firstByteLatency: Math.min(turn.latencyMs, 50),
    cacheReadInputTokenCount: turn.usage.cacheReadInputTokens,
    cacheWriteInputTokenCount: turn.usage.cacheWriteInputTokens,
  };
}

export function invocationHeaders(turn: Turn): Record<string, string> {
  return {
    "x-amzn-bedrock-input-token-count": String(turn.usage.inputTokens),
    "x-amzn-bedrock-output-token-count": String(turn.usage.outputTokens),
    "x-amzn-bedrock-invocation-latency": String(turn.latencyMs),
    "x-amzn-bedrock-cache-read-input-token-count": String(turn.usage.cacheReadInputTokens),
    "x-amzn-bedrock-cache-write-input-token-count": String(turn.usage.cacheWriteInputTokens),
  };
}
