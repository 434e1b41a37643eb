/**
 * Per-LLM usage accounting, as OpenHands' Metrics: cost, tokens by kind, latencies, retries, and what routing did
 * (fallbacks, cooldowns, recovered streams, per section). Totals cover every call; the per-call records keep the
 * latest MAX_CALL_RECORDS so a long-running server does not grow without bound.
 */
import { RoutingStats } from "./routing/stats.js";
import type { CallRecord, MetricsSnapshot } from "./types.js";

export const MAX_CALL_RECORDS = 1_000;

export class Metrics {
  private cost = 0;
  private promptTokens = 0;
  private completionTokens = 0;
  private cacheReadTokens = 0;
  private cacheWriteTokens = 0;
  private retries = 0;
  private calls: CallRecord[] = [];

  constructor(private readonly routing: RoutingStats = new RoutingStats()) {}

  record(call: CallRecord): void {
    this.cost += call.cost;
    this.promptTokens += call.inputTokens;
    this.completionTokens += call.outputTokens;
    this.cacheReadTokens += call.cacheReadTokens;
    this.cacheWriteTokens += call.cacheWriteTokens;
    this.retries += call.retries;
    this.calls.push(call);
    // Trimmed in batches, so recording stays O(1) amortised.
    if (this.calls.length >= 2 * MAX_CALL_RECORDS) this.calls = this.calls.slice(-MAX_CALL_RECORDS);
  }

  /** Retries of calls that failed in the end (successful calls count theirs in record()). */
  addRetries(count: number): void {
    this.retries += count;
  }

  snapshot(): MetricsSnapshot {
    return {
      accumulated_cost: this.cost,
      prompt_tokens: this.promptTokens,
      completion_tokens: this.completionTokens,
      cache_read_tokens: this.cacheReadTokens,
      cache_write_tokens: this.cacheWriteTokens,
      retries: this.retries,
      fallbacks: this.routing.total("fallbacks"),
      cooldowns: this.routing.total("cooldowns"),
      stream_recoveries: this.routing.total("stream_recoveries"),
      routing: this.routing.snapshot(),
      calls: this.calls.slice(-MAX_CALL_RECORDS),
    };
  }
}
