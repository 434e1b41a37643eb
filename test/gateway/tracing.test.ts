/**
 * The gateway's traces through the official clients: a SERVER span per request (a child of the caller's span when
 * a traceparent came with it), the key check, the concurrency slot and the response as its children, and the
 * library's chat and attempt spans below it. An SDK registered globally (as serve does), spans kept in memory.
 */

import Anthropic from "@anthropic-ai/sdk";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { API_KEY, control, type Harness, recordedRequests, startHarness } from "./harness.js";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

let h: Harness;
let client: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.gateway.url, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
  await provider.shutdown();
});
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
  exporter.reset();
});

/** The request's server span once it has ended (after the response was written), and every span of its trace. */
async function requestTrace(route: string): Promise<{ server: ReadableSpan; spans: ReadableSpan[] }> {
  const server = await vi.waitFor(() => {
    const found = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.name === route);
    if (!found) throw new Error(`no ${route} span yet`);
    return found;
  });
  const traceId = server.spanContext().traceId;
  return { server, spans: exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId) };
}

function childrenOf(parent: ReadableSpan, spans: ReadableSpan[]): string[] {
  return spans
    .filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)
    .map((s) => s.name)
    .sort();
}

function named(spans: ReadableSpan[], prefix: string): ReadableSpan {
  const found = spans.find((s) => s.name.startsWith(prefix));
  if (!found) throw new Error(`no span named ${prefix}...`);
  return found;
}

const SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

describe("gateway traces", () => {
  it("a chat completion: server span, key check, slot, the library's call and attempt, the response", async () => {
    await control(h.emulator.url, "responses", { text: "Paris." });
    await client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "Capital?" }] });
    const { server, spans } = await requestTrace("POST /v1/chat/completions");
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "http.response.status_code": 200,
      "url.path": "/v1/chat/completions",
      "bedrock_llm.model": "default",
      "bedrock_llm.stream": false,
      "bedrock_llm.served_by": "llm",
    });
    expect(server.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(childrenOf(server, spans)).toEqual([
      `chat ${SONNET}`,
      "gateway.auth",
      "gateway.concurrency",
      "gateway.limits",
      "gateway.response",
    ]);
    const call = named(spans, "chat ");
    expect(call.attributes).toMatchObject({
      "gen_ai.provider.name": "aws.bedrock",
      "gen_ai.operation.name": "chat",
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(childrenOf(call, spans)).toEqual([`bedrock ${SONNET}`]);
  });

  it("a stream: the response span covers the events, the call span says stream", async () => {
    const stream = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Count" }],
      stream: true,
    });
    for await (const _chunk of stream) {
    }
    const { server, spans } = await requestTrace("POST /v1/chat/completions");
    expect(server.attributes["bedrock_llm.stream"]).toBe(true);
    expect(childrenOf(server, spans)).toContain("gateway.response");
    expect(named(spans, "chat ").attributes["gen_ai.request.stream"]).toBe(true);
  });

  it("an incoming traceparent makes the request a child of the caller's span", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentId = "00f067aa0ba902b7";
    await client.chat.completions.create(
      { model: "default", messages: [{ role: "user", content: "Hi" }] },
      { headers: { traceparent: `00-${traceId}-${parentId}-01` } },
    );
    const { server, spans } = await requestTrace("POST /v1/chat/completions");
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext).toMatchObject({ traceId, spanId: parentId, isRemote: true });
    // The library's spans are in the same trace.
    expect(named(spans, "chat ").spanContext().traceId).toBe(traceId);
  });

  it("a refused key: 401 on the server span (not an error: the client's), the key check span in error", async () => {
    const stranger = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(stranger.chat.completions.create({ model: "default", messages: [] })).rejects.toMatchObject({
      status: 401,
    });
    const { server, spans } = await requestTrace("POST /v1/chat/completions");
    expect(server.attributes["http.response.status_code"]).toBe(401);
    expect(server.status.code).not.toBe(SpanStatusCode.ERROR);
    const auth = named(spans, "gateway.auth");
    expect(auth.status.code).toBe(SpanStatusCode.ERROR);
    expect(auth.attributes["error.type"]).toBe("401");
    expect(spans.some((s) => s.name.startsWith("chat "))).toBe(false);
  });

  it("a Bedrock failure after the retries: 5xx server span in error, error.type on every level", async () => {
    await control(h.emulator.url, "faults", { operation: "Converse", error: "ServiceUnavailableException", count: 10 });
    await expect(
      client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "Hi" }] }),
    ).rejects.toMatchObject({ status: 503 });
    const { server, spans } = await requestTrace("POST /v1/chat/completions");
    expect(server.attributes["http.response.status_code"]).toBe(503);
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes["error.type"]).toBeDefined();
    const call = named(spans, "chat ");
    expect(call.attributes["error.type"]).toBe("ServiceError");
    expect(childrenOf(call, spans)).toHaveLength(2);
  });

  it("a request refused for want of a concurrency slot: 429, the slot's span in error", async () => {
    const busy = await startHarness({ max_concurrency: 1, max_queue: 0 }, h.emulator);
    try {
      await control(h.emulator.url, "faults", { operation: "Converse", count: 1, delayMs: 800 });
      const other = new OpenAI({ baseURL: `${busy.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
      const ask = { model: "default", messages: [{ role: "user" as const, content: "Hi" }] };
      const first = other.chat.completions.create(ask);
      await vi.waitFor(async () => expect(await recordedRequests(h.emulator.url)).toHaveLength(1));
      await expect(other.chat.completions.create(ask)).rejects.toMatchObject({ status: 429 });
      await first;
      const refused = await vi.waitFor(() => {
        const found = exporter
          .getFinishedSpans()
          .find((s) => s.kind === SpanKind.SERVER && s.attributes["http.response.status_code"] === 429);
        if (!found) throw new Error("no 429 span yet");
        return found;
      });
      const spans = exporter
        .getFinishedSpans()
        .filter((s) => s.spanContext().traceId === refused.spanContext().traceId);
      const slot = named(spans, "gateway.concurrency");
      expect(slot.status.code).toBe(SpanStatusCode.ERROR);
      expect(slot.attributes["error.type"]).toBe("429");
      expect(spans.some((s) => s.name.startsWith("chat "))).toBe(false);
    } finally {
      await busy.close();
    }
  });

  it("no span holds the API key, the AWS secret or the conversation", async () => {
    await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "zebra-secret-word" }],
    });
    const { spans } = await requestTrace("POST /v1/chat/completions");
    const dump = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events, s.status]));
    expect(dump).not.toContain(API_KEY);
    expect(dump).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
    expect(dump).not.toContain("zebra-secret-word");
  });
});

describe("gateway traces: every door", () => {
  it("Anthropic messages (native): the server span, the native call's span with the body's settings, its attempt", async () => {
    await control(h.emulator.url, "responses", { text: "Paris." });
    const message = await anthropic.messages.create({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 256,
      stop_sequences: ["STOP"],
      messages: [{ role: "user", content: "Capital?" }],
    });
    const { server, spans } = await requestTrace("POST /v1/messages");
    expect(server.attributes).toMatchObject({ "http.route": "/v1/messages", "http.response.status_code": 200 });
    const call = named(spans, "chat ");
    expect(call.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      "gen_ai.provider.name": "aws.bedrock",
      "gen_ai.request.model": SONNET,
      "gen_ai.request.max_tokens": 256,
      "gen_ai.request.stop_sequences": ["STOP"],
      "gen_ai.response.id": message.id,
      "gen_ai.usage.output_tokens": message.usage.output_tokens,
    });
    expect(childrenOf(call, spans)).toEqual([`bedrock ${SONNET}`]);
    expect(childrenOf(server, spans)).toContain("gateway.response");
  });

  it("Anthropic messages streamed, and count_tokens as its own operation", async () => {
    const stream = anthropic.messages.stream({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 64,
      messages: [{ role: "user", content: "Count" }],
    });
    await stream.finalMessage();
    const streamed = await requestTrace("POST /v1/messages");
    expect(named(streamed.spans, "chat ").attributes["gen_ai.request.stream"]).toBe(true);
    exporter.reset();

    const counted = await anthropic.messages.countTokens({
      model: "claude-sonnet-4-5-20250929",
      messages: [{ role: "user", content: "How many tokens is this?" }],
    });
    const { server, spans } = await requestTrace("POST /v1/messages/count_tokens");
    const call = named(spans, "count_tokens ");
    expect(call.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "count_tokens",
      "gen_ai.usage.input_tokens": counted.input_tokens,
    });
    expect(childrenOf(call, spans)).toHaveLength(1);
  });

  it("Responses: the server span and the chat call below it", async () => {
    await control(h.emulator.url, "responses", { text: "Hello there." });
    const response = await client.responses.create({ model: "default", input: "Hi", max_output_tokens: 100 });
    expect(response.output_text).toBe("Hello there.");
    const { server, spans } = await requestTrace("POST /v1/responses");
    expect(server.attributes).toMatchObject({ "http.route": "/v1/responses", "http.response.status_code": 200 });
    const call = named(spans, "chat ");
    expect(call.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.response.finish_reasons": ["stop"],
    });
  });
});
