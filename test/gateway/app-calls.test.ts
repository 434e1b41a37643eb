// The gateway's app answering calls that reach Bedrock (the emulator) through app.request(), without a socket on
// the gateway's side: the fetch-shaped path, where an SSE reply is a Response body stream.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import { type AccessLogEntry, createGatewayApp, createGatewayContext } from "../../src/gateway/index.js";
import { control, MODEL, recordedRequests } from "./harness.js";

let emulator: RunningEmulator;
let app: ReturnType<typeof createGatewayApp>;
let logs: AccessLogEntry[];

beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  const config = configFromObject(
    {
      llm: {
        model: MODEL,
        cross_region_target: "us",
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: emulator.url,
        num_retries: 0,
      },
    },
    { env: {} },
  );
  const ctx = createGatewayContext(config, { accessLog: (entry) => logs.push(entry), env: {} });
  app = createGatewayApp(ctx);
});
afterAll(async () => emulator?.close());
beforeEach(async () => {
  logs = [];
  await control(emulator.url, "reset", {});
});

const post = (body: unknown, init: RequestInit = {}) =>
  app.request("/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });

/** The `data:` payloads of an SSE body. */
const events = (text: string) =>
  text
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => frame.slice("data: ".length));

describe("gateway app: calls", () => {
  it("answers a JSON completion", async () => {
    await control(emulator.url, "responses", { text: "Bonjour." });
    const res = await post({ model: "default", messages: [{ role: "user", content: "Say hello in French" }] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { object: string; choices: { message: { content: string } }[] };
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]?.message.content).toBe("Bonjour.");
    expect(logs).toMatchObject([{ status: 200, model: "default", stream: false, finish_reason: "stop" }]);
  });

  it("streams SSE through the Response body, then logs the request once the stream has ended", async () => {
    await control(emulator.url, "responses", { text: "One two three." });
    const res = await post({
      model: "default",
      messages: [{ role: "user", content: "Count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const data = events(await res.text());
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { delta: { content?: string } }[] });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("One two three.");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: expect.any(Number) } });
    await vi.waitFor(() => expect(logs).toHaveLength(1));
    expect(logs[0]).toMatchObject({ status: 200, stream: true, finish_reason: "stop" });
    expect(logs[0]?.completion_tokens).toBeGreaterThan(0);
  });

  it("answers a failure before the first event with its status, not a stream", async () => {
    await control(emulator.url, "faults", { operation: "ConverseStream", error: "ValidationException", count: 1 });
    const res = await post({ model: "default", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    expect(logs).toMatchObject([{ status: 400, error: "validation" }]);
  });

  it("reports a failure after the first event in-band", async () => {
    await control(emulator.url, "faults", {
      operation: "ConverseStream",
      error: "ModelStreamErrorException",
      count: 1,
      afterEvents: 3,
    });
    const res = await post({ model: "default", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(res.status).toBe(200);
    const last = events(await res.text()).at(-1) ?? "";
    expect(JSON.parse(last)).toMatchObject({ error: { type: "upstream_error" } });
    await vi.waitFor(() => expect(logs).toHaveLength(1));
    expect(logs[0]).toMatchObject({ status: 200, error: "service" });
  });

  it("cancels the Bedrock stream when the reader cancels the body", async () => {
    await control(emulator.url, "faults", { operation: "ConverseStream", count: 1, afterEvents: 3, delayMs: 10_000 });
    const res = await post({ model: "default", messages: [{ role: "user", content: "hi" }], stream: true });
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await vi.waitFor(
      async () => {
        const calls = await recordedRequests(emulator.url);
        expect(calls.find((c) => c.operation === "ConverseStream")?.clientClosed).toBe(true);
      },
      { timeout: 5000, interval: 20 },
    );
    await vi.waitFor(() => expect(logs).toMatchObject([{ status: 499, error: "aborted" }]));
  });

  it("cancels the Bedrock call when the request's signal fires", async () => {
    await control(emulator.url, "faults", { operation: "Converse", count: 1, delayMs: 10_000 });
    const aborter = new AbortController();
    const answer = post({ model: "default", messages: [{ role: "user", content: "hi" }] }, { signal: aborter.signal });
    await vi.waitFor(async () => expect((await recordedRequests(emulator.url)).length).toBe(1), {
      timeout: 5000,
      interval: 20,
    });
    aborter.abort();
    expect((await answer).status).toBe(499);
    expect(logs).toMatchObject([{ status: 499, error: "aborted" }]);
  });
});
