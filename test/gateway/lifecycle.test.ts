// Disconnects cancel Bedrock calls, the concurrency limit queues then refuses, shutdown drains in-flight requests.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { ConfigError } from "../../src/errors.js";
import { startGateway } from "../../src/gateway/index.js";
import { API_KEY, control, eventually, recordedRequests, startHarness } from "./harness.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => emulator?.close());

const hello = [{ role: "user" as const, content: "hello" }];
const clientFor = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: API_KEY, maxRetries: 0 });

async function inFlight(gatewayUrl: string): Promise<number> {
  const res = await fetch(`${gatewayUrl}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } });
  const match = /^bedrock_llm_gateway_in_flight_requests (\d+)/m.exec(await res.text());
  return Number(match?.[1] ?? 0) - 1; // minus the /metrics request itself
}

describe("gateway lifecycle", () => {
  it("cancels the Bedrock stream when the client disconnects", async () => {
    await control(emulator.url, "reset", {});
    const h = await startHarness({}, emulator);
    try {
      // Hold the stream open upstream: three events come, then the emulator stalls.
      await control(emulator.url, "faults", { operation: "ConverseStream", count: 1, afterEvents: 3, delayMs: 10_000 });
      const aborter = new AbortController();
      const stream = await clientFor(h.gateway.url).chat.completions.create(
        { model: "default", messages: hello, stream: true },
        { signal: aborter.signal },
      );
      const reading = (async () => {
        for await (const _ of stream) aborter.abort(); // leave after the first chunk
      })().catch((e: unknown) => e);
      await reading; // the openai package ends the iteration quietly on abort
      const closed = await eventually(async () => {
        const calls = await recordedRequests(emulator.url);
        return calls.find((c) => c.operation === "ConverseStream" && c.clientClosed);
      }, "the emulator to see the stream closed");
      expect(closed.clientClosed).toBe(true);
      await eventually(async () => (h.logs.some((l) => l.status === 499) ? true : undefined), "the access log line");
    } finally {
      await h.close();
    }
  });

  it("queues up to max_queue beyond max_concurrency, then answers 429", async () => {
    await control(emulator.url, "reset", {});
    const h = await startHarness({ max_concurrency: 1, max_queue: 1 }, emulator);
    try {
      await control(emulator.url, "faults", { operation: "Converse", count: 1, delayMs: 1500 });
      const client = clientFor(h.gateway.url);
      const first = client.chat.completions.create({ model: "default", messages: hello });
      await eventually(async () => ((await inFlight(h.gateway.url)) >= 1 ? true : undefined), "first in flight");
      const second = client.chat.completions.create({ model: "default", messages: hello });
      await eventually(async () => ((await inFlight(h.gateway.url)) >= 2 ? true : undefined), "second queued");
      const third = await client.chat.completions.create({ model: "default", messages: hello }).catch((e) => e);
      expect(third).toBeInstanceOf(OpenAI.RateLimitError);
      expect((third as InstanceType<typeof OpenAI.APIError>).code).toBe("gateway_overloaded");
      const [a, b] = await Promise.all([first, second]);
      expect(a.choices[0]?.finish_reason).toBe("stop");
      expect(b.choices[0]?.finish_reason).toBe("stop");
    } finally {
      await h.close();
    }
  });

  it("drains requests in flight on close, and refuses new connections", async () => {
    await control(emulator.url, "reset", {});
    const h = await startHarness({}, emulator);
    await control(emulator.url, "faults", { operation: "*", count: 2, delayMs: 600 });
    const client = clientFor(h.gateway.url);
    const plain = client.chat.completions.create({ model: "default", messages: hello });
    const streamed = client.chat.completions
      .create({ model: "default", messages: hello, stream: true })
      .then(async (s) => {
        let text = "";
        for await (const c of s) text += c.choices[0]?.delta.content ?? "";
        return text;
      });
    await eventually(async () => ((await inFlight(h.gateway.url)) >= 2 ? true : undefined), "both in flight");
    const closing = h.close();
    const [done, text] = await Promise.all([plain, streamed]);
    await closing;
    expect(done.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(text.length).toBeGreaterThan(0);
    await expect(fetch(`${h.gateway.url}/healthz`)).rejects.toThrow();
  });

  it("delivers a reply that completes during the drain before closing its connection", async () => {
    await control(emulator.url, "reset", {});
    const h = await startHarness({}, emulator);
    await control(emulator.url, "faults", { operation: "Converse", count: 1, delayMs: 400 });
    const reply = clientFor(h.gateway.url).chat.completions.create({ model: "default", messages: hello });
    await eventually(async () => ((await inFlight(h.gateway.url)) >= 1 ? true : undefined), "the call in flight");
    await h.close();
    expect((await reply).choices[0]?.finish_reason).toBe("stop");
    expect(h.logs.filter((l) => l.path === "/v1/chat/completions")).toMatchObject([{ status: 200 }]);
  });

  it("refuses to listen beyond loopback without API keys", async () => {
    const config = configFromObject(
      { llm: { model: "bedrock/anthropic.claude-3-haiku-20240307-v1:0", aws_region_name: "us-east-1" } },
      { env: {} },
    );
    await expect(startGateway(config, { host: "0.0.0.0", port: 0, env: {} })).rejects.toBeInstanceOf(ConfigError);
    const running = await startGateway(config, {
      host: "0.0.0.0",
      port: 0,
      env: { BEDROCK_LLM_API_KEYS: "k1,k2" },
      accessLog: false,
    });
    try {
      const url = `http://127.0.0.1:${running.port}/v1/models`;
      expect((await fetch(url, { headers: { authorization: "Bearer k2" } })).status).toBe(200);
      expect((await fetch(url, { headers: { authorization: "bearer k1" } })).status).toBe(200);
      expect((await fetch(url, { headers: { authorization: "Bearer k3" } })).status).toBe(401);
    } finally {
      await running.close();
    }
  });
});
