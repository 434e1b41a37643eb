/** The one-line summary printed on stderr after a reply: tokens, cache use, cost and latency. */
import type { CompletionUsage, FinishReason } from "../llm/types.js";

export interface ReplySummary {
  usage?: CompletionUsage | null;
  cost?: number;
  latencyMs: number;
  finishReason?: FinishReason | null;
}

export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return "cost n/a";
  return `$${usd < 0.01 ? usd.toFixed(6) : usd.toFixed(4)}`;
}

export function summaryLine(summary: ReplySummary): string {
  const parts: string[] = [];
  const usage = summary.usage;
  if (usage) {
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const written = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
    parts.push(
      `tokens in ${usage.prompt_tokens}`,
      `out ${usage.completion_tokens}`,
      `cache read ${cached}`,
      `cache write ${written}`,
    );
  }
  parts.push(formatCost(summary.cost), `${Math.round(summary.latencyMs)} ms`);
  if (summary.finishReason === "content_filter") parts.push("guardrail intervened");
  else if (summary.finishReason === "length") parts.push("stopped at max tokens");
  return `[${parts.join(" · ")}]`;
}
