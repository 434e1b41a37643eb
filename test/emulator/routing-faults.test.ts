/**
 * What routing tests need of the emulator: faults scoped by region (the SigV4 scope), access key, model and
 * operation, with a probability; per-target quotas; connection faults (reset, silent half-open) before the
 * response or after K stream events; and assistant prefill (continued, or refused by Claude 4.6+).
 */
import { connect as http2Connect } from "node:http2";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { Hash } from "@smithy/hash-node";
import { NodeHttp2Handler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, describe, expect, vi } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { BUILTIN_CREDENTIALS, HAIKU_3 } from "./helpers.js";

const clients: BedrockRuntimeClient[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

function clientFor(emulator: RunningEmulator, region: string): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    endpoint: emulator.url,
    region,
    credentials: BUILTIN_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: false }),
  });
  clients.push(client);
  return client;
}

const ASK = { messages: [{ role: "user" as const, content: [{ text: "one two three four five six" }] }] };

async function converse(client: BedrockRuntimeClient, modelId = HAIKU_3): Promise<string> {
  try {
    const output = await client.send(new ConverseCommand({ modelId, ...ASK }));
    return output.output?.message?.content?.[0]?.text ?? "";
  } catch (error) {
    return `error: ${(error as Error).name}`;
  }
}

describe("scoped faults", () => {
  it("hit only the calls of their region, as signed in the SigV4 credential scope", async ({ emulator, control }) => {
    await control.fault({ error: "ThrottlingException", region: "us-west-2", count: 10 });
    const east = clientFor(emulator, "us-east-1");
    const west = clientFor(emulator, "us-west-2");
    expect(await converse(west)).toBe("error: ThrottlingException");
    expect(await converse(east)).toBe("Echo: one two three four five six");
    const regions = emulator.state.requests.map((r) => r.region);
    expect(regions).toEqual(["us-west-2", "us-east-1"]);
  });

  it("hit only the calls of their access key, model and operation", async ({ emulator, control }) => {
    await control.fault({ error: "ServiceUnavailableException", accessKeyId: "AKIAOTHERKEY", count: 5 });
    await control.fault({ error: "ModelNotReadyException", modelId: "anthropic.claude-3-5-haiku-20241022-v1:0" });
    await control.fault({ error: "InternalServerException", operation: "ConverseStream", modelId: HAIKU_3 });
    const client = clientFor(emulator, "us-east-1");
    expect(await converse(client)).toMatch(/^Echo:/);
    // A profile id stands for its model.
    expect(await converse(client, "us.anthropic.claude-3-5-haiku-20241022-v1:0")).toBe("error: ModelNotReadyException");
    expect(await converse(client, "us.anthropic.claude-3-5-haiku-20241022-v1:0")).toMatch(/^Echo:/);
    const remaining = emulator.state.faults.map((f) => f.error);
    expect(remaining).toEqual(["ServiceUnavailableException", "InternalServerException"]);
  });

  it("with a probability, hit about that share of the calls and keep their count for the calls they spare", async ({
    emulator,
    control,
  }) => {
    await control.fault({ error: "ThrottlingException", probability: 0.5, count: 1000 });
    const client = clientFor(emulator, "us-east-1");
    const results = await Promise.all(Array.from({ length: 200 }, () => converse(client)));
    const throttled = results.filter((r) => r === "error: ThrottlingException").length;
    // Binomial(200, 0.5): outside 60..140 with probability below 1e-8.
    expect(throttled).toBeGreaterThan(60);
    expect(throttled).toBeLessThan(140);
    expect(emulator.state.faults[0]?.count).toBe(1000 - throttled);
  });
});

describe("quotas", () => {
  it("let N calls a second through for their target and throttle the rest, other regions untouched", async ({
    emulator,
    control,
  }) => {
    await control.quota({ region: "us-east-1", callsPerSecond: 3, retryAfterSeconds: 2 });
    const east = clientFor(emulator, "us-east-1");
    const west = clientFor(emulator, "us-west-2");
    const eastResults = await Promise.all(Array.from({ length: 5 }, () => converse(east)));
    const westResults = await Promise.all(Array.from({ length: 5 }, () => converse(west)));
    expect(eastResults.filter((r) => r.startsWith("Echo:"))).toHaveLength(3);
    expect(eastResults.filter((r) => r === "error: ThrottlingException")).toHaveLength(2);
    expect(westResults.every((r) => r.startsWith("Echo:"))).toBe(true);
    const listed = (await (await control.send("quotas")).json()) as { quotas: { throttled: number }[] };
    expect(listed.quotas[0]).toMatchObject({ region: "us-east-1", callsPerSecond: 3, throttled: 2, inLastSecond: 3 });
  });

  it("send the Retry-After they were given", async ({ emulator, control }) => {
    await control.quota({ callsPerSecond: 0, retryAfterSeconds: 7 });
    const error = await clientFor(emulator, "us-east-1")
      .send(new ConverseCommand({ modelId: HAIKU_3, ...ASK }))
      .catch((e: unknown) => e as { name: string; $response?: { headers: Record<string, string> } });
    expect(error).toMatchObject({ name: "ThrottlingException" });
    expect((error as { $response?: { headers: Record<string, string> } }).$response?.headers["retry-after"]).toBe("7");
  });

  it("are refused with a 400 when malformed, and cleared by reset", async ({ emulator, control }) => {
    expect((await control.send("quotas", { callsPerSecond: -1 })).status).toBe(400);
    await control.quota({ callsPerSecond: 1 });
    await control.reset();
    expect(emulator.state.quotas).toHaveLength(0);
  });
});

/**
 * ConverseStream on the client's shared HTTP/2 session, as the library sends it (by default the SDK opens a
 * session per event stream and, when that session is reset, ends the stream quietly instead of failing it).
 */
const SHARED_SESSION = { isEventStream: false } as const;

async function streamEvents(client: BedrockRuntimeClient): Promise<{ events: string[]; error?: unknown }> {
  const events: string[] = [];
  try {
    const response = await client.send(new ConverseStreamCommand({ modelId: HAIKU_3, ...ASK }), {
      abortSignal: new AbortController().signal,
      ...SHARED_SESSION,
    });
    for await (const event of response.stream as AsyncIterable<ConverseStreamOutput>) {
      events.push(Object.keys(event)[0] ?? "?");
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe("connection faults", () => {
  it("reset the connection before the response: the call fails as a dropped connection, the next one works", async ({
    emulator,
    control,
  }) => {
    await control.fault({ connection: "reset", operation: "Converse" });
    const client = clientFor(emulator, "us-east-1");
    const error = await client.send(new ConverseCommand({ modelId: HAIKU_3, ...ASK })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBeUndefined();
    expect(await converse(client)).toMatch(/^Echo:/);
    expect(emulator.state.requests[0]?.connectionFault).toBe("reset");
  });

  it("reset the connection after K stream events: the events arrive, then the stream breaks", async ({
    emulator,
    control,
  }) => {
    await control.fault({ connection: "reset", operation: "ConverseStream", afterEvents: 2 });
    const { events, error } = await streamEvents(clientFor(emulator, "us-east-1"));
    expect(events).toEqual(["messageStart", "contentBlockDelta"]);
    expect(error).toBeInstanceOf(Error);
  });

  it("silence a connection: no answer, not even to an HTTP/2 PING, and the connection stays open", async ({
    emulator,
    control,
  }) => {
    await control.fault({ connection: "silent", operation: "Converse" });
    const session = http2Connect(emulator.url);
    try {
      await new Promise((resolve) => session.once("connect", resolve));
      const answered = await new Promise<boolean>((resolve) => session.ping((error) => resolve(!error)));
      expect(answered).toBe(true);
      const body = JSON.stringify(ASK);
      const path = `/model/${encodeURIComponent(HAIKU_3)}/converse`;
      const request = session.request({ ":method": "POST", ":path": path, ...(await signed(emulator, path, body)) });
      request.end(body);
      const response = new Promise((resolve) => request.once("response", resolve));
      await waitFor(() => emulator.state.requests.length === 1);
      const acked = new Promise<boolean>((resolve) => session.ping(() => resolve(true)));
      const outcome = await Promise.race([acked, response, settle(500, "silent")]);
      expect(outcome).toBe("silent");
      expect(session.closed || session.destroyed).toBe(false);
    } finally {
      session.destroy();
    }
  });

  it("silence a stream after K events: they arrive, then nothing", async ({ emulator, control }) => {
    await control.fault({ connection: "silent", operation: "ConverseStream", afterEvents: 2 });
    const client = clientFor(emulator, "us-east-1");
    const events: string[] = [];
    const controller = new AbortController();
    const reading = (async () => {
      const response = await client.send(new ConverseStreamCommand({ modelId: HAIKU_3, ...ASK }), {
        abortSignal: controller.signal,
        ...SHARED_SESSION,
      });
      for await (const event of response.stream as AsyncIterable<ConverseStreamOutput>) {
        events.push(Object.keys(event)[0] ?? "?");
      }
    })().catch(() => undefined);
    await waitFor(() => events.length === 2);
    expect(await Promise.race([reading.then(() => "ended"), settle(500, "silent")])).toBe("silent");
    expect(events).toEqual(["messageStart", "contentBlockDelta"]);
    controller.abort();
  });
});

describe("assistant prefill", () => {
  const prefilled = (text: string) => ({
    messages: [
      { role: "user" as const, content: [{ text: "one two three four five six" }] },
      { role: "assistant" as const, content: [{ text }] },
    ],
  });

  it("continues the reply after the text it already holds", async ({ emulator }) => {
    const output = await clientFor(emulator, "us-east-1").send(
      new ConverseCommand({ modelId: HAIKU_3, ...prefilled("Echo: one two") }),
    );
    expect(output.output?.message?.content?.[0]?.text).toBe(" three four five six");
  });

  it("is refused with trailing whitespace, and by Claude 4.6 and later", async ({ emulator }) => {
    const client = clientFor(emulator, "us-east-1");
    const trailing = await client
      .send(new ConverseCommand({ modelId: HAIKU_3, ...prefilled("Echo: one ") }))
      .catch((e: unknown) => e as Error);
    expect((trailing as Error).message).toContain("final assistant content cannot end with trailing whitespace");
    const modern = await client
      .send(new ConverseCommand({ modelId: "us.anthropic.claude-sonnet-4-6", ...prefilled("Echo:") }))
      .catch((e: unknown) => e as Error);
    expect((modern as Error).name).toBe("ValidationException");
    expect((modern as Error).message).toContain("does not support assistant message prefill");
  });
});

/** SigV4 headers for a Converse POST sent by hand over HTTP/2. */
async function signed(emulator: RunningEmulator, path: string, body: string): Promise<Record<string, string>> {
  const url = new URL(emulator.url);
  const signer = new SignatureV4({
    credentials: BUILTIN_CREDENTIALS,
    region: "us-east-1",
    service: "bedrock",
    sha256: Hash.bind(null, "sha256"),
  });
  const request = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path,
    headers: { host: url.host, "content-type": "application/json" },
    body,
  });
  const { headers } = await signer.sign(request);
  const { host: _host, ...rest } = headers;
  return rest;
}

function settle<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

async function waitFor(condition: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 5000 });
}
