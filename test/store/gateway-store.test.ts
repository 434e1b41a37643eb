// The GatewayStore contract, held by both implementations: the embedded SQLite store and Redis (a real
// redis-server on a free port; skipped with a note when it is not installed, outside CI).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { GatewayStore, KeyRecord } from "../../src/store/gateway-store.js";
import { openRedisStore } from "../../src/store/redis-store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { REDIS_REQUIRED, RedisServer, redisServerAvailable } from "../support/redis-server.js";

const withRedis = redisServerAvailable() || REDIS_REQUIRED;
if (!withRedis) console.warn("redis-server is not installed: the Redis half of the store contract is skipped");

let redis: RedisServer | undefined;
let prefix = 0;
beforeAll(async () => {
  if (withRedis) redis = await RedisServer.start();
});
afterAll(async () => redis?.stop());

const stores: [string, () => Promise<GatewayStore>][] = [["sqlite", () => openSqliteStore(":memory:")]];
if (withRedis) {
  stores.push(["redis", () => openRedisStore({ url: redis?.url as string, prefix: `contract-${++prefix}:` })]);
}

const record = (name: string, hash: string): KeyRecord => ({
  name,
  key_sha256: hash,
  budget_period: "month",
  metadata: { team: "t" },
  created_at: "2026-11-28T00:00:00.000Z",
  source: "api",
});

describe.each(stores)("%s store", (_name, open) => {
  it("admits while every counter fits, takes from all at once, and nothing from any when one is full", async () => {
    const store = await open();
    try {
      const checks = (add: number) => [
        { name: "a", limit: 3, add: 1, ttlMs: 60_000 },
        { name: "b", limit: 10, add, ttlMs: 60_000 },
      ];
      expect(await store.admit(checks(4))).toBe(-1);
      expect(await store.admit(checks(4))).toBe(-1);
      expect(await store.admit(checks(4))).toBe(1); // b: 8 + 4 > 10; a stays at 2
      expect(await store.admit(checks(2))).toBe(-1); // a: 3, b: 10
      expect(await store.admit(checks(0))).toBe(0); // a is full
      expect(await store.counters("")).toEqual({ a: 3, b: 10 });
    } finally {
      await store.close();
    }
  });

  it("refuses a check that adds nothing once its counter reached the limit (a budget), and adds amounts", async () => {
    const store = await open();
    try {
      const budget = [{ name: "spend:k:2026-11-01", limit: 0.5, add: 0, ttlMs: 60_000 }];
      expect(await store.admit(budget)).toBe(-1);
      await store.add([{ name: "spend:k:2026-11-01", amount: 0.25, ttlMs: 60_000 }]);
      expect(await store.admit(budget)).toBe(-1);
      await store.add([{ name: "spend:k:2026-11-01", amount: 0.25, ttlMs: 60_000 }]);
      expect(await store.admit(budget)).toBe(0);
      await store.add([{ name: "spend:k:2026-11-01", amount: -0.1, ttlMs: 60_000 }]);
      expect((await store.counters("spend:k:"))["spend:k:2026-11-01"]).toBeCloseTo(0.4, 10);
      expect(await store.counters("spend:other:")).toEqual({});
    } finally {
      await store.close();
    }
  });

  it("reports each counter's value after an admission, and nothing for a refused one", async () => {
    const store = await open();
    try {
      const seen: number[][] = [];
      const checks = [
        { name: "r", limit: 10, add: 1, ttlMs: 60_000 },
        { name: "t", limit: 1000, add: 250, ttlMs: 60_000 },
        { name: "usd", limit: 5, add: 0, ttlMs: 60_000 },
      ];
      await store.add([{ name: "usd", amount: 1.25, ttlMs: 60_000 }]);
      expect(await store.admit(checks, (values) => seen.push(values))).toBe(-1);
      expect(await store.admit(checks, (values) => seen.push(values))).toBe(-1);
      expect(await store.admit([{ name: "r", limit: 2, add: 1, ttlMs: 60_000 }], (v) => seen.push(v))).toBe(0);
      expect(seen).toEqual([
        [1, 250, 1.25],
        [2, 500, 1.25],
      ]);
    } finally {
      await store.close();
    }
  });

  it("applies the settles an admission carries before its checks, whether or not they pass", async () => {
    const store = await open();
    try {
      const seen: number[][] = [];
      const tokens = (add: number) => [{ name: "t", limit: 100, add, ttlMs: 60_000 }];
      expect(await store.admit(tokens(50), (v) => seen.push(v))).toBe(-1);
      // The call used 70, not the 50 estimated: with that settled first, 40 more no longer fit.
      const settle = (amount: number) => [
        { name: "t", amount, ttlMs: 60_000 },
        { name: "usd", amount: 0.5, ttlMs: 60_000 },
      ];
      expect(await store.admit(tokens(40), (v) => seen.push(v), settle(20))).toBe(0);
      expect(await store.counters("")).toEqual({ t: 70, usd: 0.5 });
      expect(await store.admit(tokens(30), (v) => seen.push(v), settle(-10))).toBe(-1);
      expect(await store.counters("")).toEqual({ t: 90, usd: 1 });
      expect(seen).toEqual([[50], [90]]);
      // Settles alone (no check to make) are applied too; a settle creates its counter with its time to live.
      expect(await store.admit([], undefined, [{ name: "new", amount: 2, ttlMs: 100 }])).toBe(-1);
      expect((await store.counters("new"))?.new).toBe(2);
      await vi.waitFor(async () => expect(await store.counters("new")).toEqual({}), { timeout: 10_000, interval: 50 });
    } finally {
      await store.close();
    }
  });

  it("lets counters made by an admission or an add expire after their time to live", async () => {
    const store = await open();
    try {
      expect(await store.admit([{ name: "short", limit: 1, add: 1, ttlMs: 100 }])).toBe(-1);
      await store.add([{ name: "added", amount: 2, ttlMs: 100 }]);
      await store.add([{ name: "added", amount: 3, ttlMs: 100 }]); // a later add keeps the first time to live
      await vi.waitFor(
        async () => {
          expect(await store.counters("")).toEqual({});
          expect(await store.admit([{ name: "short", limit: 1, add: 1, ttlMs: 60_000 }])).toBe(-1);
        },
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      await store.close();
    }
  });

  it("creates keys once by name and by hash, finds them by hash, lists and revokes them", async () => {
    const store = await open();
    const changes: number[] = [];
    store.onKeysChanged(() => changes.push(1));
    try {
      expect(await store.createKey(record("b", "h-b"))).toBe(true);
      expect(await store.createKey(record("a", "h-a"))).toBe(true);
      expect(await store.createKey(record("a", "h-other"))).toBe(false);
      expect(await store.createKey(record("c", "h-a"))).toBe(false);
      expect(await store.keyByHash("h-a")).toEqual(record("a", "h-a"));
      expect((await store.listKeys()).map((k) => k.name)).toEqual(["a", "b"]);
      expect(await store.revokeKey("a")).toBe(true);
      expect(await store.revokeKey("a")).toBe(false);
      expect(await store.keyByHash("h-a")).toBeUndefined();
      expect(await store.createKey(record("a", "h-a"))).toBe(true); // the name and hash are free again
    } finally {
      await store.close();
    }
  });

  it("keeps stored responses until deleted", async () => {
    const store = await open();
    try {
      await store.responses.put("resp_1", { output: ["x"] }, 60);
      expect(await store.responses.get("resp_1")).toEqual({ output: ["x"] });
      expect(await store.responses.delete("resp_1")).toBe(true);
      expect(await store.responses.get("resp_1")).toBeUndefined();
      expect(await store.responses.delete("resp_1")).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe.runIf(withRedis)("redis store authentication", () => {
  it("connects with [server.store] password, and is unavailable with a wrong one", async () => {
    const guarded = await RedisServer.start(undefined, ["--requirepass", "s3cret-pass-word"]);
    try {
      const store = await openRedisStore({ url: guarded.url, prefix: "auth:", password: "s3cret-pass-word" });
      expect(store.available).toBe(true);
      expect(await store.admit([{ name: "a", limit: 1, add: 1, ttlMs: 1000 }])).toBe(-1);
      await store.close();
      const refused = await openRedisStore({
        url: guarded.url,
        prefix: "auth:",
        password: "wrong-password",
        connectTimeoutMs: 300,
      });
      expect(refused.available).toBe(false);
      await expect(refused.admit([{ name: "a", limit: 1, add: 1, ttlMs: 1000 }])).rejects.toThrow();
      await refused.close();
    } finally {
      await guarded.stop();
    }
  });
});

describe.runIf(withRedis)("redis store deadlines", () => {
  it("closes without waiting on a Redis that stopped answering", async () => {
    const hung = await RedisServer.start();
    const store = await openRedisStore({ url: hung.url, prefix: "close:", commandTimeoutMs: 60_000 });
    try {
      expect(await store.admit([{ name: "a", limit: 100, add: 1, ttlMs: 60_000 }])).toBe(-1);
      hung.pause();
      const pending = store.admit([{ name: "a", limit: 100, add: 1, ttlMs: 60_000 }]);
      pending.catch(() => {});
      await store.close(); // node-redis's close() alone would wait for that answer forever
      await expect(pending).rejects.toThrow();
    } finally {
      hung.resume();
      await hung.stop();
    }
  });

  it("fails a command a hung Redis does not answer, then answers again once it does", async () => {
    const hung = await RedisServer.start();
    const store = await openRedisStore({ url: hung.url, prefix: "deadline:", commandTimeoutMs: 300 });
    const check = [{ name: "a", limit: 100, add: 1, ttlMs: 60_000 }];
    try {
      expect(await store.admit(check)).toBe(-1);
      hung.pause();
      const started = performance.now();
      await expect(store.admit(check)).rejects.toThrow("Redis did not answer within 300 ms");
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      hung.resume();
      expect(await store.admit(check)).toBe(-1);
      // The command that failed here was still applied by Redis once it woke: a timed-out admission may have counted.
      expect((await store.counters("a")).a).toBe(3);
    } finally {
      hung.resume();
      await store.close();
      await hung.stop();
    }
  });
});
