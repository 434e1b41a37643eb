// Two gateway replicas over one real redis-server (started here on a free port): one rpm limit, one tpm limit and
// one budget enforced exactly across both; a key revoked through one is refused by both within a second; stored
// responses shared; Redis stopped and restarted mid-run gives the configured behaviour, then recovery by itself.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { control, type Harness, startHarness } from "../gateway/harness.js";
import { ADMIN_KEY, ALICE, admin, BOB, chat, json, midMinuteClock, sha256, usageOf } from "../gateway/keys-support.js";
import { REDIS_REQUIRED, RedisServer, redisServerAvailable } from "../support/redis-server.js";

const available = redisServerAvailable();
if (!available && !REDIS_REQUIRED) {
  console.warn("redis-server is not installed: skipping the Redis replica tests (apt-get install redis-server)");
}
const describeRedis = available || REDIS_REQUIRED ? describe : describe.skip;

describeRedis("two replicas over one Redis", () => {
  let emulator: RunningEmulator;
  let redis: RedisServer;
  let replicas: Harness[] = [];
  let prefix = 0;

  beforeAll(async () => {
    emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.stop();
    await emulator?.close();
  });
  beforeEach(async () => {
    await control(emulator.url, "reset", {});
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    replicas = [];
  });

  /** Two replicas with the same configuration, sharing one Redis (a fresh key prefix per test). */
  async function startReplicas(
    server: Record<string, unknown>,
    now: () => number = midMinuteClock(),
  ): Promise<[string, string]> {
    const store = { url: redis.url, key_prefix: `test-${++prefix}:`, ...(server.store as object | undefined) };
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startHarness({ admin_key_sha256: sha256(ADMIN_KEY), ...server, store }, emulator, {}, { now }),
      );
    }
    return [replicas[0]?.gateway.url as string, replicas[1]?.gateway.url as string];
  }

  it("admit exactly one rpm limit between them, even all at once", async () => {
    const [a, b] = await startReplicas({ keys: { alice: { key_sha256: sha256(ALICE), rpm: 6 } } });
    const answers = await Promise.all(Array.from({ length: 14 }, (_, i) => chat(i % 2 ? a : b, ALICE)));
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
  });

  it("enforce one tpm limit exactly, with each call's real usage counted", async () => {
    const [a] = await startReplicas({
      keys: { alice: { key_sha256: sha256(ALICE) }, bob: { key_sha256: sha256(BOB), tpm: 1_000_000 } },
    });
    // One call measures a call's real tokens (U) and the estimate of its body (E).
    const probe = await json(await chat(a, BOB));
    const perCall = probe.usage.prompt_tokens + probe.usage.completion_tokens;
    await vi.waitFor(async () => expect((await usageOf(a, "bob")).tpm.used).toBe(perCall));
    // Room for exactly three calls: after three, U*3 + E no longer fits.
    await Promise.all(replicas.map((r) => r.close()));
    replicas = [];
    const estimate = Math.ceil(
      JSON.stringify({ model: "default", messages: [{ role: "user", content: "Hello there" }] }).length / 4,
    );
    const [c, d] = await startReplicas({
      keys: { alice: { key_sha256: sha256(ALICE), tpm: 3 * perCall + estimate - 1 } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await chat(i % 2 ? c : d, ALICE);
      statuses.push(res.status);
      await res.text();
      const settled = Math.min(i + 1, 3) * perCall;
      await vi.waitFor(async () => expect((await usageOf(c, "alice")).tpm.used).toBe(settled));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("charge one budget exactly: refused by both once spent", async () => {
    // One call measures a call's cost.
    const [a] = await startReplicas({ keys: { bob: { key_sha256: sha256(BOB) } } });
    const cost = (await json(await chat(a, BOB))).cost as number;
    await Promise.all(replicas.map((r) => r.close()));
    replicas = [];
    const [c, d] = await startReplicas({
      keys: { alice: { key_sha256: sha256(ALICE), budget_usd: cost * 2.5, budget_period: "day" } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await chat(i % 2 ? c : d, ALICE);
      statuses.push(res.status);
      await res.text();
      const spent = Math.min(i + 1, 3) * cost;
      await vi.waitFor(async () => expect((await usageOf(d, "alice")).budget.spend_usd).toBeCloseTo(spent, 12));
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await chat(c, ALICE)).status).toBe(429);
  });

  it("refuse on both, within a second, a key revoked through one; share stored responses", async () => {
    // A clock that stands still: the replicas' one-second key cache never runs out, so only the revocation's
    // message (published through Redis, delivered at once) can make the other replica refuse the key.
    const noon = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 43_230_000;
    const [a, b] = await startReplicas({}, () => noon);
    const { key } = await json(await admin(a, "POST", "/keys", { name: "ci-bot" }));
    expect((await chat(b, key)).status).toBe(200);
    expect((await chat(a, key)).status).toBe(200);

    const stored = await json(
      await fetch(`${a}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "default", input: "Remember me" }),
      }),
    );
    const fromB = await fetch(`${b}/v1/responses/${stored.id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(fromB.status).toBe(200);
    expect((await json(fromB)).id).toBe(stored.id);

    expect((await admin(a, "DELETE", "/keys/ci-bot")).status).toBe(200);
    await vi.waitFor(async () => expect((await chat(b, key)).status).toBe(401), { timeout: 10_000, interval: 20 });
    expect((await chat(a, key)).status).toBe(401);
  });

  it("fail closed while Redis is down when configured so, and recover by themselves", async () => {
    const [a, b] = await startReplicas({
      keys: { alice: { key_sha256: sha256(ALICE), rpm: 1000 } },
      store: { on_store_failure: "closed" },
    });
    expect((await chat(a, ALICE)).status).toBe(200);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const said = (text: string) => stderr.mock.calls.filter(([line]) => String(line).includes(text)).length;
    await redis.stop();
    await vi.waitFor(async () => {
      const res = await chat(b, ALICE);
      expect(res.status).toBe(503);
      expect((await json(res)).error.code).toBe("store_unavailable");
    });
    await vi.waitFor(async () =>
      expect(await json(await fetch(`${a}/healthz`))).toEqual({ status: "ok", store: "unavailable" }),
    );
    const metrics = await (await fetch(`${a}/metrics`, { headers: { authorization: `Bearer ${ALICE}` } })).text();
    expect(metrics).toContain("bedrock_llm_gateway_store_up 0");

    await redis.restart();
    await vi.waitFor(async () => expect((await chat(a, ALICE)).status).toBe(200), { timeout: 5000, interval: 100 });
    await vi.waitFor(async () => expect((await chat(b, ALICE)).status).toBe(200), { timeout: 5000, interval: 100 });
    expect(await json(await fetch(`${b}/healthz`))).toEqual({ status: "ok", store: "ok" });
    // Said once per replica, however many requests failed in between.
    expect(said("gateway store (redis) unreachable")).toBe(2);
    expect(said("refusing requests ([server.store] on_store_failure)")).toBe(2);
    expect(said("gateway store reachable again")).toBe(2);
    stderr.mockRestore();
  });

  it("start while Redis is down, say so, and recover by themselves when it comes up", async () => {
    const late = await RedisServer.reserve();
    try {
      const [a] = await startReplicas({
        keys: { alice: { key_sha256: sha256(ALICE), rpm: 1000 } },
        store: { url: late.url, on_store_failure: "closed" },
      });
      expect(await json(await fetch(`${a}/healthz`))).toEqual({ status: "ok", store: "unavailable" });
      expect((await chat(a, ALICE)).status).toBe(503);
      await late.restart();
      await vi.waitFor(async () => expect((await chat(a, ALICE)).status).toBe(200), { timeout: 5000, interval: 100 });
      expect(await json(await fetch(`${a}/healthz`))).toEqual({ status: "ok", store: "ok" });
    } finally {
      await late.stop();
    }
  });

  it("fail open while Redis is down when configured so: serve without limits, then count again", async () => {
    const [a, b] = await startReplicas({
      keys: { alice: { key_sha256: sha256(ALICE), rpm: 2 } },
      store: { on_store_failure: "open" },
    });
    expect((await chat(a, ALICE)).status).toBe(200);
    await redis.stop();
    // Over the limit of 2, yet served: the limit cannot be counted without the store.
    for (let i = 0; i < 3; i++) expect((await chat(i % 2 ? a : b, ALICE)).status).toBe(200);
    expect(await json(await fetch(`${b}/healthz`))).toEqual({ status: "ok", store: "unavailable" });

    await redis.restart(); // an empty Redis: the minute's count starts over
    await vi.waitFor(
      async () => expect(await json(await fetch(`${a}/healthz`))).toEqual({ status: "ok", store: "ok" }),
      {
        timeout: 5000,
        interval: 100,
      },
    );
    await vi.waitFor(
      async () => expect(await json(await fetch(`${b}/healthz`))).toEqual({ status: "ok", store: "ok" }),
      {
        timeout: 5000,
        interval: 100,
      },
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(i % 2 ? a : b, ALICE)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
