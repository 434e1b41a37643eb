// Issue 15's defects 3-6 and 8, over every front door the app registers: operator lines once per cause, the 413
// read by the client (not EPIPE, no re-upload), deep JSON refused at the door, model names clipped, /healthz 503
// "draining" on new connections until the drain ends.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { causeOf, OncePer } from "../../src/gateway/access-log.js";
import { API_KEY, control, type Harness, recordedRequests, startHarness } from "../gateway/harness.js";
import { frontDoors, shapeOf } from "./doors.js";
import { rawRequest } from "./http.js";

const auth = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
const MAX_BODY = 64 * 1024;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ max_body_bytes: MAX_BODY });
});
afterAll(async () => {
  await h?.close();
});

const posts = () => frontDoors().filter((door) => door.method === "POST");

describe("defect 3: operator error lines once per cause", () => {
  const message = (id: string) =>
    `Bedrock AccessDeniedException for us.anthropic.claude-sonnet-4-5: not authorized (AWS request id: ${id})`;

  it("messages that differ only in per-request values are one cause", () => {
    const once = new OncePer();
    expect(once.first(message("5b8c1a0e-1111-4a2b-9c3d-0123456789ab"))).toBe(true);
    expect(once.first(message("7f00aa11-2222-4a2b-9c3d-0123456789ab"))).toBe(false);
    expect(once.first(message("REQ123"))).toBe(false);
    expect(causeOf("took 1234 ms at 2026-01-01T00:00:00.123Z")).toBe(causeOf("took 9 ms at 2027-05-05T10:11:12Z"));
    expect(once.first("Bedrock AccessDeniedException for another model (AWS request id: x)")).toBe(true);
  });

  it("the set of causes is bounded, and a cause is reminded after the window", () => {
    let now = 0;
    const once = new OncePer(10, 1000, () => now);
    for (let i = 0; i < 100; i++) once.first(`cause number ${String.fromCharCode(65 + (i % 26))}${i}x`);
    expect(once.size).toBe(10);
    expect(once.first("steady")).toBe(true);
    now = 999;
    expect(once.first("steady")).toBe(false);
    now = 1000;
    expect(once.first("steady")).toBe(true);
  });
});

describe("defect 4: an oversized body gets the 413, read by the client", () => {
  it("every door: declared length and chunked, repeatedly, 413 in the door's error shape (no EPIPE)", async () => {
    const big = Buffer.alloc(MAX_BODY * 16, 0x61);
    for (const door of posts()) {
      for (let i = 0; i < 3; i++) {
        const declared = await rawRequest(h.gateway.url, { method: "POST", path: door.path, headers: auth, body: big });
        expect(declared.status, door.path).toBe(413);
        expect(shapeOf(JSON.parse(declared.text))).toBe(door.errorShape);
        expect(declared.headers.connection).toBe("close");
        const chunks = Array.from({ length: 16 }, () => big.subarray(0, MAX_BODY));
        const chunked = await rawRequest(h.gateway.url, { method: "POST", path: door.path, headers: auth, chunks });
        expect(chunked.status, door.path).toBe(413);
        expect(shapeOf(JSON.parse(chunked.text))).toBe(door.errorShape);
      }
    }
  });

  it("the openai client gets a 413 APIError and does not upload again", async () => {
    const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 2 });
    const before = h.logs.length;
    const failure = await client.chat.completions
      .create({ model: "default", messages: [{ role: "user", content: "x".repeat(MAX_BODY * 8) }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe("request_too_large");
    expect(h.logs.slice(before).filter((entry) => entry.path === "/v1/chat/completions")).toHaveLength(1);
  });
});

describe("defect 5: JSON depth bounded at the door", () => {
  it("every door: a body nested thousands of levels deep is a 400 in its shape, and Bedrock is not called", async () => {
    await control(h.emulator.url, "reset", {});
    for (const door of posts()) {
      for (const depth of [200, 5000]) {
        const tools = `[{"type":"function","function":{"name":"f","parameters":${'{"a":'.repeat(depth)}{}${"}".repeat(depth)}}}]`;
        const body = `{"model":"default","messages":[{"role":"user","content":"hi"}],"max_tokens":9,"input":"hi","tools":${tools}}`;
        const res = await rawRequest(h.gateway.url, { method: "POST", path: door.path, headers: auth, body });
        expect(res.status, `${door.path} ${depth}`).toBe(400);
        expect(shapeOf(JSON.parse(res.text))).toBe(door.errorShape);
        expect(res.text).toContain("deeper than");
      }
    }
    expect(await recordedRequests(h.emulator.url)).toHaveLength(0);
  });

  it("a tool schema nested a few dozen levels still goes through", async () => {
    const schema = `${'{"type":"object","properties":{"a":'.repeat(40)}{"type":"string"}${"}}".repeat(40)}`;
    const body = `{"model":"default","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`;
    const res = await rawRequest(h.gateway.url, { method: "POST", path: "/v1/chat/completions", headers: auth, body });
    expect(res.status).toBe(200);
  });
});

describe("defect 6: a long model name is clipped in answers and logs", () => {
  it("every door: a 60 KB model name gives a short 4xx and a short access-log entry", async () => {
    const model = `m${"o".repeat(60_000)}del`;
    for (const door of posts()) {
      if (!door.sample) continue;
      const before = h.logs.length;
      const body = JSON.stringify({ ...door.sample(false), model });
      const res = await rawRequest(h.gateway.url, { method: "POST", path: door.path, headers: auth, body });
      expect(res.status, door.path).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text.length, door.path).toBeLessThan(2000);
      const entry = h.logs.slice(before).find((e) => e.path === door.path);
      expect(entry?.model?.length ?? 0).toBeLessThan(200);
    }
    const long = model.slice(0, 6000);
    const get = await rawRequest(h.gateway.url, { method: "GET", path: `/v1/models/${long}`, headers: auth });
    expect(get.status).toBe(404);
    expect(get.text.length).toBeLessThan(2000);
  });
});

describe("defect 8: /healthz during the drain", () => {
  it("new connections get 503 draining on /healthz and the shutting-down error elsewhere until the drain ends", async () => {
    const g = await startHarness({}, h.emulator);
    await control(h.emulator.url, "reset", {});
    await control(h.emulator.url, "faults", { operation: "Converse", count: 1, delayMs: 1500 });
    const client = new OpenAI({ baseURL: `${g.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
    const reply = client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "hi" }] });
    // The call has reached Bedrock (and is held there by the delay): it is in flight at the gateway.
    await expect.poll(async () => (await recordedRequests(h.emulator.url)).length).toBe(1);
    const closing = g.close();
    const health = await rawRequest(g.gateway.url, { method: "GET", path: "/healthz" });
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toEqual({ status: "draining" });
    expect(health.headers.connection).toBe("close");
    const refused = await rawRequest(g.gateway.url, { method: "GET", path: "/v1/models", headers: auth });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text).error.code).toBe("shutting_down");
    expect((await reply).choices[0]?.finish_reason).toBe("stop");
    await closing;
    await expect(rawRequest(g.gateway.url, { method: "GET", path: "/healthz" })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("defect 5, library side: schemas bounded before anything is sent", () => {
  it("a deep or self-containing tool schema is a ValidationError; a shared sub-schema is fine", async () => {
    const { LLM } = await import("../../src/llm/index.js");
    const { ValidationError } = await import("../../src/errors.js");
    const { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } = await import("../../src/emulator/index.js");
    const { configFromObject } = await import("../../src/config/index.js");
    const config = configFromObject(
      {
        llm: {
          model: "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
          cross_region_target: "us",
          aws_region_name: "us-east-1",
          aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
          aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
          aws_bedrock_runtime_endpoint: h.emulator.url,
          num_retries: 0,
        },
      },
      { env: {} },
    );
    const llm = new LLM(config.llm);
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 3000; i++) deep = { type: "object", properties: { a: deep } };
    const cyclic: Record<string, unknown> = { type: "object" };
    cyclic.properties = { self: cyclic };
    const shared = { type: "string" };
    const call = (parameters: unknown) =>
      llm.completion({
        messages: [{ role: "user", content: "hi" }],
        tools: [{ type: "function", function: { name: "f", parameters: parameters as Record<string, unknown> } }],
      });
    await control(h.emulator.url, "reset", {});
    await expect(call(deep)).rejects.toThrow(ValidationError);
    await expect(call(cyclic)).rejects.toThrow(ValidationError);
    expect(await recordedRequests(h.emulator.url)).toHaveLength(0);
    const ok = await call({ type: "object", properties: { a: shared, b: shared } });
    expect(ok.choices[0]?.finish_reason).toBeDefined();
  });
});

describe("server timeouts", () => {
  it("a client trickling its headers is answered 408 and closed after headersTimeout", async () => {
    const { configFromObject } = await import("../../src/config/index.js");
    const { startGateway } = await import("../../src/gateway/index.js");
    const { connect } = await import("node:net");
    const config = configFromObject(
      { llm: { model: "bedrock/anthropic.claude-3-haiku-20240307-v1:0", aws_region_name: "us-east-1" } },
      { env: {} },
    );
    const timeouts = { headersTimeout: 300, requestTimeout: 1000, connectionsCheckingInterval: 50 };
    const gateway = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog: false, timeouts });
    try {
      const socket = connect(Number(new URL(gateway.url).port), "127.0.0.1");
      let answer = "";
      socket.on("data", (d: Buffer) => {
        answer += d.toString();
      });
      socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
      const trickle = setInterval(() => socket.write("X"), 50);
      const started = performance.now();
      await new Promise((resolve) => socket.once("close", resolve));
      clearInterval(trickle);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await gateway.close();
    }
  });
});
