// Routes and middleware of the gateway's Hono app through app.request(): no socket, no emulator (the calls that
// reach Bedrock are in app-calls.test.ts and, over sockets with the openai client, in the other files here).
import { beforeEach, describe, expect, it } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { type AccessLogEntry, createGatewayApp, createGatewayContext } from "../../src/gateway/index.js";

const KEY = "sk-app-test";
const MAX_BODY = 1024;
const auth = { authorization: `Bearer ${KEY}` };

function gateway(server: Record<string, unknown> = {}) {
  const config = configFromObject(
    {
      llm: {
        model: "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
        aws_region_name: "us-east-1",
        haiku: { model: "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0", cross_region_target: "us" },
      },
      server: { api_keys: [KEY], max_body_bytes: MAX_BODY, ...server },
    },
    { env: {} },
  );
  const logs: AccessLogEntry[] = [];
  const operator: string[] = [];
  const ctx = createGatewayContext(config, { accessLog: (entry) => logs.push(entry), env: {} });
  ctx.operatorLog = (message) => operator.push(message);
  return { app: createGatewayApp(ctx), ctx, logs, operator };
}

type Gateway = ReturnType<typeof gateway>;
let g: Gateway;
beforeEach(() => {
  g = gateway();
});

const chat = (body: unknown, headers: Record<string, string> = auth) =>
  g.app.request("/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const errorOf = async (res: Response) => ((await res.json()) as { error: Record<string, unknown> }).error;

describe("gateway app: /healthz", () => {
  it("answers ok without a key", async () => {
    const res = await g.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers draining during a shutdown, closing the connection, and refuses everything else with 503", async () => {
    void g.ctx.requests.drain(1000); // marks the drain as begun; nothing is in flight
    const health = await g.app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "draining" });
    expect(health.headers.get("connection")).toBe("close");
    const models = await g.app.request("/v1/models", { headers: auth });
    expect(models.status).toBe(503);
    expect(models.headers.get("connection")).toBe("close");
    expect(await errorOf(models)).toMatchObject({ type: "server_error", code: "shutting_down" });
  });
});

describe("gateway app: API keys", () => {
  it("401 in OpenAI's format without a key or with a wrong one", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer sk-wrong" }, { authorization: KEY }];
    for (const headers of attempts) {
      const res = await g.app.request("/v1/models", { headers });
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toEqual({
        message: expect.stringContaining("API key"),
        type: "authentication_error",
        param: null,
        code: "invalid_api_key",
      });
    }
  });

  it("accepts the scheme in any case", async () => {
    expect((await g.app.request("/v1/models", { headers: { authorization: `bearer ${KEY}` } })).status).toBe(200);
  });

  it("guards unknown paths too, so they do not leak which paths exist", async () => {
    expect((await g.app.request("/v1/nothing")).status).toBe(401);
    const res = await g.app.request("/v1/nothing", { headers: auth });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ type: "not_found_error", code: "unknown_url" });
  });

  it("serves every route without a key when none is configured", async () => {
    const open = gateway({ api_keys: [] });
    expect((await open.app.request("/v1/models")).status).toBe(200);
    expect((await open.app.request("/metrics")).status).toBe(200);
  });
});

describe("gateway app: methods", () => {
  it.each([
    ["GET", "/v1/chat/completions"],
    ["POST", "/v1/models"],
    ["DELETE", "/v1/models/haiku"],
    ["POST", "/metrics"],
  ])("405 for %s %s", async (method, path) => {
    const res = await g.app.request(path, { method, headers: auth });
    expect(res.status).toBe(405);
    expect(await errorOf(res)).toMatchObject({ type: "invalid_request_error", code: "method_not_allowed" });
  });
});

describe("gateway app: body limit", () => {
  it("413 for a declared length over max_body_bytes, closing the connection", async () => {
    const res = await chat({ model: "default", messages: [{ role: "user", content: "x".repeat(MAX_BODY) }] });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await errorOf(res)).toMatchObject({ type: "invalid_request_error", code: "request_too_large" });
  });

  it("413 for a chunked body (no length declared) once it grows over the limit", async () => {
    const piece = new TextEncoder().encode("x".repeat(400));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(piece);
        controller.close();
      },
    });
    const res = await g.app.request("/v1/chat/completions", {
      method: "POST",
      headers: auth,
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("passes a chunked body under the limit on to the route", async () => {
    const text = JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, 10)));
        controller.enqueue(new TextEncoder().encode(text.slice(10)));
        controller.close();
      },
    });
    const res = await g.app.request("/v1/chat/completions", {
      method: "POST",
      headers: auth,
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(404); // the route read the whole body: the model it names does not exist
    expect(await errorOf(res)).toMatchObject({ code: "model_not_found", param: "model" });
  });
});

describe("gateway app: request errors", () => {
  it("400 invalid_json for a body that is not JSON", async () => {
    const res = await chat("{not json");
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({
      message: "The request body is not valid JSON.",
      type: "invalid_request_error",
      param: null,
      code: "invalid_json",
    });
  });

  it("400 invalid_value naming the parameter", async () => {
    const res = await chat({ model: "default", messages: [{ role: "user", content: "hi" }], top_p: 3 });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ type: "invalid_request_error", code: "invalid_value", param: "top_p" });
  });

  it("404 model_not_found for a name that is neither a section nor a registry id", async () => {
    const res = await chat({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({
      type: "invalid_request_error",
      code: "model_not_found",
      param: "model",
    });
  });
});

describe("gateway app: models", () => {
  it("lists sections first, then registry ids, and finds one by id (ids with ':' included)", async () => {
    const list = (await (await g.app.request("/v1/models", { headers: auth })).json()) as {
      object: string;
      data: { id: string; object: string }[];
    };
    expect(list.object).toBe("list");
    expect(list.data.slice(0, 2).map((m) => m.id)).toEqual(["default", "haiku"]);
    const id = "anthropic.claude-3-haiku-20240307-v1:0";
    const one = await g.app.request(`/v1/models/${encodeURIComponent(id)}`, { headers: auth });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id, object: "model" });
    const missing = await g.app.request("/v1/models/gpt-4o", { headers: auth });
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toMatchObject({ code: "model_not_found" });
  });
});

describe("gateway app: metrics and access log", () => {
  const scrape = async (app = g.app) => {
    const res = await app.request("/metrics", { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    return res.text();
  };

  it("exposes every family, token kinds from the start, and counts requests by status and errors by kind", async () => {
    await g.app.request("/v1/models");
    await g.app.request("/v1/models", { headers: auth });
    const text = await scrape();
    for (const family of [
      "requests_total counter",
      "errors_total counter",
      "tokens_total counter",
      "cost_usd_total counter",
      "retries_total counter",
      "request_duration_seconds histogram",
      "in_flight_requests gauge",
      "queued_requests gauge",
    ]) {
      expect(text).toContain(`# TYPE bedrock_llm_gateway_${family}`);
    }
    for (const kind of ["input", "output", "cache_read", "cache_write"]) {
      expect(text).toMatch(new RegExp(`^bedrock_llm_gateway_tokens_total\\{kind="${kind}"\\} 0$`, "m"));
    }
    expect(text).toMatch(/^bedrock_llm_gateway_requests_total\{status="401"\} 1$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_requests_total\{status="200"\} 1$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_errors_total\{kind="unauthorized"\} 1$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_request_duration_seconds_bucket\{le="0.005"\} \d+$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_request_duration_seconds_count 2$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_in_flight_requests 1$/m); // the scrape itself
    expect(text).toMatch(/^bedrock_llm_gateway_queued_requests 0$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_retries_total 0$/m);
  });

  it("keeps each gateway's counts apart", async () => {
    const other = gateway();
    await g.app.request("/v1/models", { headers: auth });
    await g.app.request("/v1/models", { headers: auth });
    expect(await scrape(other.app)).not.toMatch(/requests_total\{status="200"\}/);
    expect(await scrape()).toMatch(/^bedrock_llm_gateway_requests_total\{status="200"\} 2$/m);
  });

  it("writes one access-log line per request, errors by kind only", async () => {
    await chat({ model: "gpt-4o", messages: [{ role: "user", content: "secret-recipe" }] });
    await g.app.request("/healthz");
    expect(g.logs).toHaveLength(2);
    expect(g.logs[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      status: 404,
      model: "gpt-4o",
      stream: false,
      error: "unknown_model",
    });
    expect(g.logs[0]?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(g.logs[1]).toMatchObject({ method: "GET", path: "/healthz", status: 200 });
    expect(JSON.stringify(g.logs)).not.toContain("secret-recipe");
  });
});
