// Virtual keys on the embedded store (a SQLite file): authentication on every door, model lists, rpm / tpm limits
// per key and per section, budgets, the admin API, attribution in the access log and metrics, and a restart.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { API_KEY, control, type Harness, recordedRequests, startHarness } from "./harness.js";
import {
  ADMIN_KEY,
  ALICE,
  admin,
  BOB,
  chat,
  json,
  messages,
  midMinuteClock,
  sha256,
  tempDir,
  usageOf,
} from "./keys-support.js";

let emulator: RunningEmulator;
let folder: ReturnType<typeof tempDir>;
let h: Harness | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => emulator?.close());
beforeEach(async () => {
  folder = tempDir();
  await control(emulator.url, "reset", {});
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  folder.remove();
});

/** The running gateway's URL. */
function url(): string {
  if (!h) throw new Error("no gateway running");
  return h.gateway.url;
}

function start(server: Record<string, unknown>): Promise<Harness> {
  return startHarness(
    { admin_key_sha256: sha256(ADMIN_KEY), store: { path: `${folder.dir}/gateway.sqlite` }, ...server },
    emulator,
    {},
    { now: midMinuteClock() },
  );
}

describe("virtual keys from the configuration", () => {
  it("authenticate on every door and are named, never shown, in the access log and metrics", async () => {
    h = await start({ keys: { alice: { key_sha256: sha256(ALICE), metadata: { team: "search" } } } });
    expect((await chat(h.gateway.url, ALICE)).status).toBe(200);
    expect((await messages(h.gateway.url, ALICE)).status).toBe(200);
    expect((await chat(h.gateway.url, API_KEY)).status).toBe(200); // the plain api_keys still work
    const refused = await chat(h.gateway.url, BOB);
    expect(refused.status).toBe(401);
    expect((await json(refused)).error.code).toBe("invalid_api_key");
    const anthropic = await messages(h.gateway.url, BOB);
    expect(anthropic.status).toBe(401);
    expect((await json(anthropic)).error.type).toBe("authentication_error");
    const models = await fetch(`${h.gateway.url}/v1/models`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(models.status).toBe(200);

    const logged = h.logs.filter((entry) => entry.key === "alice").map((entry) => entry.path);
    expect(logged).toEqual(["/v1/chat/completions", "/v1/messages", "/v1/models"]);
    expect(JSON.stringify(h.logs)).not.toContain(ALICE);
    const metrics = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${ALICE}` } })
    ).text();
    expect(metrics).toMatch(/bedrock_llm_gateway_key_requests_total\{key="alice"\} 2/);
    expect(metrics).toMatch(/bedrock_llm_gateway_key_cost_usd_total\{key="alice"\} [0-9.e-]+/);
    expect(metrics).toContain("bedrock_llm_gateway_store_up 1");
    expect(metrics).not.toContain(ALICE);
    expect(await (await fetch(`${h.gateway.url}/healthz`)).json()).toEqual({ status: "ok", store: "ok" });
  });

  it("refuses an expired key, and a model the key may not use in each door's shape", async () => {
    h = await start({
      keys: {
        alice: { key_sha256: sha256(ALICE), models: ["haiku"] },
        bob: { key_sha256: sha256(BOB), expires: "2020-01-01T00:00:00Z" },
      },
    });
    expect((await chat(h.gateway.url, ALICE, { model: "haiku" })).status).toBe(200);
    const openai = await chat(h.gateway.url, ALICE, { model: "default" });
    expect(openai.status).toBe(403);
    expect((await json(openai)).error).toMatchObject({ code: "model_not_allowed", type: "permission_error" });
    const anthropic = await messages(h.gateway.url, ALICE, { model: "default" });
    expect(anthropic.status).toBe(403);
    expect(await json(anthropic)).toMatchObject({ type: "error", error: { type: "permission_error" } });
    const expired = await chat(h.gateway.url, BOB);
    expect(expired.status).toBe(401);
    expect((await json(expired)).error.code).toBe("expired_api_key");
  });
});

describe("limits", () => {
  it("a key's rpm admits exactly that many requests a minute, then 429 with retry-after in each door's shape", async () => {
    h = await start({ keys: { alice: { key_sha256: sha256(ALICE), rpm: 3 } } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(h.gateway.url, ALICE)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await chat(h.gateway.url, ALICE);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await json(refused)).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    const anthropic = await messages(h.gateway.url, ALICE);
    expect(anthropic.status).toBe(429);
    expect(anthropic.headers.get("retry-after")).not.toBeNull();
    expect(await json(anthropic)).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    // Other keys are not limited by alice's count.
    expect((await chat(h.gateway.url, API_KEY)).status).toBe(200);
  });

  it("a refused request is never sent to Bedrock, on any door, streamed or not", async () => {
    // The store's check runs while the request is prepared and signed; the request goes out only once admitted.
    h = await startHarness(
      {
        admin_key_sha256: sha256(ADMIN_KEY),
        store: { path: `${folder.dir}/gateway.sqlite` },
        keys: { alice: { key_sha256: sha256(ALICE), rpm: 1 } },
        model_aliases: { nova: "amazon.nova-lite-v1:0" },
      },
      emulator,
      { embedder: { model: "bedrock/cohere.embed-v4:0" } },
      { now: midMinuteClock() },
    );
    expect((await chat(h.gateway.url, ALICE)).status).toBe(200);
    const post = (path: string, body: unknown) =>
      fetch(`${url()}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ALICE}` },
        body: JSON.stringify(body),
      });
    const refused = [
      await chat(url(), ALICE),
      await chat(url(), ALICE, { stream: true }),
      await messages(url(), ALICE),
      await messages(url(), ALICE, { stream: true }),
      await messages(url(), ALICE, { model: "nova" }), // not Claude: through Converse
      await messages(url(), ALICE, { model: "nova", stream: true }),
      await post("/v1/messages/count_tokens", { model: "default", messages: [{ role: "user", content: "Hi" }] }),
      await post("/v1/responses", { model: "default", input: "Hello there" }),
      await post("/v1/responses", { model: "default", input: "Hello there", stream: true }),
      await post("/v1/embeddings", { model: "embedder", input: "Hello there" }),
    ];
    expect(refused.map((res) => res.status)).toEqual(refused.map(() => 429));
    for (const res of refused) expect(res.headers.get("content-type")).toContain("application/json");
    expect(await recordedRequests(emulator.url)).toHaveLength(1);
  });

  it("a section's rpm holds over every key", async () => {
    h = await start({
      keys: { alice: { key_sha256: sha256(ALICE) }, bob: { key_sha256: sha256(BOB) } },
      limits: { haiku: { rpm: 2 } },
    });
    expect((await chat(h.gateway.url, ALICE, { model: "haiku" })).status).toBe(200);
    expect((await chat(h.gateway.url, BOB, { model: "haiku" })).status).toBe(200);
    const refused = await chat(h.gateway.url, ALICE, { model: "haiku" });
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.message).toContain('model section "haiku"');
    expect((await chat(h.gateway.url, ALICE, { model: "default" })).status).toBe(200);
  });

  it("a limit for a section that does not exist fails the start", async () => {
    await expect(start({ limits: { nosuch: { rpm: 1 } } })).rejects.toThrow(
      'server.limits.nosuch names no section: use "llm" for [llm] or the NAME of an [llm.NAME] section',
    );
  });

  it("tpm counts the estimate before the call and the real usage after it, streams when they end", async () => {
    h = await start({ keys: { alice: { key_sha256: sha256(ALICE), tpm: 10_000 } } });
    const first = await chat(h.gateway.url, ALICE);
    const usage = (await json(first)).usage;
    const perCall = usage.prompt_tokens + usage.completion_tokens;
    const streamed = await chat(h.gateway.url, ALICE, { stream: true });
    await streamed.text();
    // The counter holds the real usage of both calls, not the estimates.
    await expect.poll(async () => (await usageOf(url(), "alice")).tpm.used).toBe(2 * perCall);
  });

  it("tpm refuses a request whose estimate does not fit what is left this minute", async () => {
    h = await start({ keys: { alice: { key_sha256: sha256(ALICE), tpm: 400 } } });
    const long = "word ".repeat(300); // about 1500 characters: about 380 tokens estimated
    expect((await chat(h.gateway.url, ALICE, { messages: [{ role: "user", content: long }] })).status).toBe(200);
    const refused = await chat(h.gateway.url, ALICE, { messages: [{ role: "user", content: long }] });
    expect(refused.status).toBe(429);
    expect((await json(refused)).error).toMatchObject({ code: "tokens_limit_exceeded", type: "rate_limit_error" });
  });
});

describe("budgets", () => {
  it("charge the real cost of each call and refuse the next one once spent, until the period renews", async () => {
    h = await start({ keys: { alice: { key_sha256: sha256(ALICE), budget_usd: 0.000_001, budget_period: "day" } } });
    const first = await chat(h.gateway.url, ALICE);
    expect(first.status).toBe(200);
    const cost = (await json(first)).cost as number;
    expect(cost).toBeGreaterThan(0.000_001);
    await expect.poll(async () => (await usageOf(url(), "alice")).budget.spend_usd).toBeCloseTo(cost, 12);
    const refused = await chat(h.gateway.url, ALICE);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-should-retry")).toBe("false");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect((await json(refused)).error).toMatchObject({ type: "insufficient_quota", code: "budget_exceeded" });
    const anthropic = await messages(h.gateway.url, ALICE);
    expect(anthropic.status).toBe(429);
    expect(await json(anthropic)).toMatchObject({ error: { type: "rate_limit_error" } });
  });
});

describe("admin API", () => {
  it("creates a key shown once, lists, reports usage, and revokes it", async () => {
    h = await start({ keys: { alice: { key_sha256: sha256(ALICE) } } });
    const created = await admin(h.gateway.url, "POST", "/keys", {
      name: "ci-bot",
      models: ["default"],
      rpm: 100,
      budget_usd: 10,
      budget_period: "7d",
      metadata: { team: "platform", owner: "ops@example.com" },
    });
    expect(created.status).toBe(201);
    const record = await json(created);
    expect(record).toMatchObject({ name: "ci-bot", rpm: 100, budget_period: "7d", source: "api" });
    expect(record.key).toMatch(/^sk-bllm-/);
    expect(record.key_sha256).toBeUndefined();

    expect((await chat(h.gateway.url, record.key)).status).toBe(200);
    expect((await chat(h.gateway.url, record.key, { model: "haiku" })).status).toBe(403);
    const list = await json(await admin(h.gateway.url, "GET", "/keys"));
    expect(list.data.map((k: { name: string }) => k.name)).toEqual(["alice", "ci-bot"]);
    expect(JSON.stringify(list)).not.toContain(record.key);

    await expect.poll(async () => (await usageOf(url(), "ci-bot")).budget.spend_usd).toBeGreaterThan(0);
    const usage = await json(await admin(h.gateway.url, "GET", "/keys/ci-bot/usage"));
    expect(usage).toMatchObject({ name: "ci-bot", rpm: { limit: 100 }, budget: { limit_usd: 10, period: "7d" } });
    expect(usage.periods).toHaveLength(1);

    expect((await admin(h.gateway.url, "POST", "/keys", { name: "ci-bot" })).status).toBe(409);
    expect((await admin(h.gateway.url, "DELETE", "/keys/alice")).status).toBe(409);
    expect((await admin(h.gateway.url, "DELETE", "/keys/ci-bot")).status).toBe(200);
    expect((await chat(h.gateway.url, record.key)).status).toBe(401);
    expect((await admin(h.gateway.url, "DELETE", "/keys/ci-bot")).status).toBe(404);
  });

  it("answers only the admin key", async () => {
    h = await start({});
    const res = await fetch(`${h.gateway.url}/admin/keys`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe("invalid_admin_key");
    const bad = await admin(h.gateway.url, "POST", "/keys", { name: "no spaces allowed" });
    expect(bad.status).toBe(400);
  });
});

describe("the embedded store", () => {
  it("keeps keys, spend and stored responses across a restart", async () => {
    h = await start({});
    const { key } = await json(await admin(h.gateway.url, "POST", "/keys", { name: "team-a", budget_usd: 5 }));
    const res = await fetch(`${h.gateway.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "default", input: "Remember me" }),
    });
    expect(res.status).toBe(200);
    const { id } = await json(res);
    await expect.poll(async () => (await usageOf(url(), "team-a")).budget.spend_usd).toBeGreaterThan(0);
    const spent = (await usageOf(url(), "team-a")).budget.spend_usd;
    await h.close();

    h = await start({});
    expect((await chat(h.gateway.url, key)).status).toBe(200);
    const stored = await fetch(`${h.gateway.url}/v1/responses/${id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(stored.status).toBe(200);
    await expect.poll(async () => (await usageOf(url(), "team-a")).budget.spend_usd).toBeGreaterThan(spent);
  });
});
