/**
 * Settling in batches: settles wait, summed per counter, for the next admission to carry them; when none comes in
 * time they reach the store as one call of their own, whose sums per counter are what the separate adds would have
 * added.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SettleBatch } from "../../src/gateway/keys/settle-batch.js";
import type { CounterAdd } from "../../src/store/gateway-store.js";

const entry = fc.record({
  name: fc.constantFrom("a", "b", "c", "spend"),
  amount: fc.integer({ min: -500, max: 500 }),
  ttlMs: fc.integer({ min: 1, max: 120_000 }),
});

/** What `adds` sum to per counter, counters summing to 0 left out (nothing to send for them). */
function sums(adds: readonly CounterAdd[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const e of adds) expected.set(e.name, (expected.get(e.name) ?? 0) + e.amount);
  for (const [name, sum] of expected) if (sum === 0) expected.delete(name);
  return expected;
}

describe("SettleBatch", () => {
  it("sends what no admission took as one call, summing each counter as the separate adds would", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entry, { maxLength: 4 }), { minLength: 1, maxLength: 12 }), async (adds) => {
        const calls: CounterAdd[][] = [];
        const batch = new SettleBatch(async (entries) => {
          calls.push(entries);
        }, 1);
        await Promise.all(adds.map((entries) => batch.add(entries)));
        const expected = sums(adds.flat());
        expect(calls.length).toBe(expected.size === 0 ? 0 : 1);
        expect(new Map((calls[0] ?? []).map((e) => [e.name, e.amount]))).toEqual(expected);
      }),
    );
  });

  it("gives what is pending to an admission, which settles its callers; nothing is sent on its own then", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entry, { maxLength: 4 }), { minLength: 1, maxLength: 8 }), async (adds) => {
        const calls: CounterAdd[][] = [];
        const batch = new SettleBatch(async (entries) => {
          calls.push(entries);
        }, 1);
        const settled = Promise.all(adds.map((entries) => batch.add(entries)));
        const carried = batch.take();
        expect(new Map((carried?.entries ?? []).map((e) => [e.name, e.amount]))).toEqual(sums(adds.flat()));
        expect(batch.take()).toBeUndefined(); // taken once
        carried?.done();
        await settled;
        await new Promise((resolve) => setTimeout(resolve, 5)); // past the wait: the timer was cancelled
        expect(calls).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it("sends a lone settle on its own once the wait is over, and a later one in a batch of its own", async () => {
    const calls: CounterAdd[][] = [];
    const batch = new SettleBatch(async (entries) => {
      calls.push(entries);
    }, 1);
    await batch.add([{ name: "a", amount: 3, ttlMs: 10 }]);
    expect(calls).toEqual([[{ name: "a", amount: 3, ttlMs: 10 }]]);
    await batch.add([{ name: "a", amount: 2, ttlMs: 20 }]);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([{ name: "a", amount: 2, ttlMs: 20 }]);
  });

  it("gives every caller of a batch its failure, sent on its own or carried, and starts afresh after it", async () => {
    let fail = true;
    const batch = new SettleBatch(async () => {
      if (fail) throw new Error("store down");
    }, 1);
    const both = [batch.add([{ name: "a", amount: 1, ttlMs: 1 }]), batch.add([{ name: "b", amount: 1, ttlMs: 1 }])];
    for (const result of await Promise.allSettled(both)) expect(result.status).toBe("rejected");
    const carriedOne = batch.add([{ name: "a", amount: 1, ttlMs: 1 }]);
    batch.take()?.done(new Error("admission failed"));
    await expect(carriedOne).rejects.toThrow("admission failed");
    fail = false;
    await expect(batch.add([{ name: "a", amount: 1, ttlMs: 1 }])).resolves.toBeUndefined();
  });

  it("flushes what is pending at once (at shutdown)", async () => {
    const calls: CounterAdd[][] = [];
    const batch = new SettleBatch(async (entries) => {
      calls.push(entries);
    }, 60_000);
    const pending = batch.add([{ name: "spend", amount: 0.25, ttlMs: 5 }]);
    await batch.flush();
    await pending;
    expect(calls).toEqual([[{ name: "spend", amount: 0.25, ttlMs: 5 }]]);
  });
});
