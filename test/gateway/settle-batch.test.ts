/**
 * Settling in batches: whatever finishes in one turn reaches the store as one call whose sums per counter are what
 * the unbatched calls would have added; a lone settle still goes out on the next turn.
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

describe("SettleBatch", () => {
  it("sends one call per turn, summing each counter as the separate adds would", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entry, { maxLength: 4 }), { minLength: 1, maxLength: 12 }), async (adds) => {
        const calls: CounterAdd[][] = [];
        const batch = new SettleBatch(async (entries) => {
          calls.push(entries);
        });
        await Promise.all(adds.map((entries) => batch.add(entries)));
        const expected = new Map<string, number>();
        for (const e of adds.flat()) expected.set(e.name, (expected.get(e.name) ?? 0) + e.amount);
        for (const [name, sum] of expected) if (sum === 0) expected.delete(name);
        expect(calls.length).toBe(expected.size === 0 ? 0 : 1);
        const sent = new Map((calls[0] ?? []).map((e) => [e.name, e.amount]));
        expect(sent).toEqual(expected);
      }),
    );
  });

  it("sends a lone settle on the next turn, and a later one in a batch of its own", async () => {
    const calls: CounterAdd[][] = [];
    const batch = new SettleBatch(async (entries) => {
      calls.push(entries);
    });
    await batch.add([{ name: "a", amount: 3, ttlMs: 10 }]);
    expect(calls).toEqual([[{ name: "a", amount: 3, ttlMs: 10 }]]);
    await batch.add([{ name: "a", amount: 2, ttlMs: 20 }]);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([{ name: "a", amount: 2, ttlMs: 20 }]);
  });

  it("gives every caller of a batch its failure, and starts afresh after it", async () => {
    let fail = true;
    const batch = new SettleBatch(async () => {
      if (fail) throw new Error("store down");
    });
    const both = [batch.add([{ name: "a", amount: 1, ttlMs: 1 }]), batch.add([{ name: "b", amount: 1, ttlMs: 1 }])];
    for (const result of await Promise.allSettled(both)) expect(result.status).toBe("rejected");
    fail = false;
    await expect(batch.add([{ name: "a", amount: 1, ttlMs: 1 }])).resolves.toBeUndefined();
  });

  it("flushes what is pending at once (at shutdown)", async () => {
    const calls: CounterAdd[][] = [];
    const batch = new SettleBatch(async (entries) => {
      calls.push(entries);
    });
    void batch.add([{ name: "spend", amount: 0.25, ttlMs: 5 }]);
    await batch.flush();
    expect(calls).toEqual([[{ name: "spend", amount: 0.25, ttlMs: 5 }]]);
  });
});
