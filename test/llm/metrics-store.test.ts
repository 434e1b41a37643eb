/** The metrics store keeps exact totals and a bounded window of per-call records. */
import { describe, expect, it } from "vitest";
import { MAX_CALL_RECORDS, Metrics } from "../../src/llm/metrics.js";

describe("Metrics", () => {
  it("totals every call but keeps only the latest call records", () => {
    const metrics = new Metrics();
    const calls = 2 * MAX_CALL_RECORDS + 10;
    for (let i = 0; i < calls; i += 1) {
      metrics.record({
        model: "m",
        latencyMs: i,
        inputTokens: 3,
        outputTokens: 2,
        cacheReadTokens: 1,
        cacheWriteTokens: 0,
        cost: 0.5,
        retries: 1,
        servedBy: "llm",
      });
    }
    metrics.addRetries(2);
    const snapshot = metrics.snapshot();
    expect(snapshot.calls).toHaveLength(MAX_CALL_RECORDS);
    expect(snapshot.calls.at(-1)?.latencyMs).toBe(calls - 1);
    expect(snapshot.calls[0]?.latencyMs).toBe(calls - MAX_CALL_RECORDS);
    expect([snapshot.prompt_tokens, snapshot.completion_tokens, snapshot.cache_read_tokens]).toEqual([
      3 * calls,
      2 * calls,
      calls,
    ]);
    expect(snapshot.accumulated_cost).toBe(0.5 * calls);
    expect(snapshot.retries).toBe(calls + 2);
  });
});
