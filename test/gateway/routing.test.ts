/**
 * Routing through the gateway: the section that served a call in the completion, the last stream chunk and the
 * access log; fallbacks and cooldowns per section in /metrics; and a shutdown whose drain time runs out ends the
 * streams still open with an in-band error event, logged as ended by the server.
 */
import OpenAI from "openai";
import { afterEach, describe, expect, vi } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { type AccessLogEntry, type RunningGateway, startGateway } from "../../src/gateway/index.js";
import { it } from "../support/fixtures.js";

const API_KEY = "sk-gateway-routing-0123456789";
const HAIKU_3 = "bedrock/anthropic.claude-3-haiku-20240307-v1:0";
const hello = [{ role: "user" as const, content: "hello there" }];

interface Running {
  gateway: RunningGateway;
  logs: AccessLogEntry[];
  client: OpenAI;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.gateway.close();
  running = undefined;
});

async function startRouted(emulatorUrl: string, drainTimeoutMs = 30_000): Promise<Running> {
  const config = configFromObject(
    {
      llm: {
        model: HAIKU_3,
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: emulatorUrl,
        num_retries: 0,
        fallbacks: ["backup"],
        backup: { aws_region_name: "us-west-2" },
        pool: { deployments: ["east", "west"], cooldown_seconds: 60 },
        east: { aws_region_name: "us-east-2" },
        west: { aws_region_name: "us-west-1" },
      },
      server: { api_keys: [API_KEY] },
    },
    { env: {} },
  );
  const logs: AccessLogEntry[] = [];
  const gateway = await startGateway(config, {
    host: "127.0.0.1",
    port: 0,
    accessLog: (entry) => logs.push(entry),
    drainTimeoutMs,
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
  running = { gateway, logs, client };
  return running;
}

async function metricsText(gatewayUrl: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } });
  return response.text();
}

function chatLogs(logs: AccessLogEntry[]): AccessLogEntry[] {
  return logs.filter((entry) => entry.path === "/v1/chat/completions");
}

describe("routing through the gateway", () => {
  it("says which section served, in the reply, the last chunk and the access log, and counts fallbacks", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 2 });
    const { gateway, logs, client } = await startRouted(emulator.url);
    const completion = await client.chat.completions.create({ model: "default", messages: hello });
    expect((completion as unknown as { served_by: string }).served_by).toBe("backup");
    const stream = await client.chat.completions.create({ model: "default", messages: hello, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect((chunks.at(-1) as unknown as { served_by?: string }).served_by).toBe("backup");
    await vi.waitFor(() => expect(chatLogs(logs)).toHaveLength(2));
    expect(chatLogs(logs).map((entry) => entry.served_by)).toEqual(["backup", "backup"]);
    const text = await metricsText(gateway.url);
    expect(text).toMatch(/^bedrock_llm_gateway_fallbacks_total\{section="llm"\} 2$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_served_total\{section="backup"\} 2$/m);
  });

  it("counts cooldowns per deployment in /metrics", async ({ emulator, control }) => {
    await control.fault({ region: "us-east-2", error: "ThrottlingException", count: 1 });
    const { gateway, logs, client } = await startRouted(emulator.url);
    const first = await client.chat.completions.create({ model: "pool", messages: hello });
    const second = await client.chat.completions.create({ model: "pool", messages: hello });
    expect([first, second].map((c) => (c as unknown as { served_by: string }).served_by)).toEqual(["west", "west"]);
    await vi.waitFor(() => expect(chatLogs(logs)).toHaveLength(2));
    const text = await metricsText(gateway.url);
    expect(text).toMatch(/^bedrock_llm_gateway_cooldowns_total\{section="east"\} 1$/m);
    expect(text).toMatch(/^bedrock_llm_gateway_served_total\{section="west"\} 2$/m);
  });

  it("serves a registry model id asked for by name with [llm]'s settings, without [llm]'s routing", async ({
    emulator,
  }) => {
    const { client } = await startRouted(emulator.url);
    const completion = await client.chat.completions.create({
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      messages: hello,
    });
    expect(completion.model).toBe("anthropic.claude-3-5-haiku-20241022-v1:0");
  });
});

describe("routing through the other doors", () => {
  it("the Anthropic Messages door (native) and the Responses door fall back too, and log who served", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 4 });
    const { gateway, logs } = await startRouted(emulator.url);
    const post = (path: string, body: unknown) =>
      fetch(`${gateway.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": API_KEY, "anthropic-version": "2023-06-01" },
        body: JSON.stringify(body),
      });
    const ask = { model: "default", max_tokens: 64, messages: hello };
    const message = await post("/v1/messages", ask);
    expect(message.status).toBe(200);
    expect(((await message.json()) as { served_by?: string }).served_by).toBe("backup");
    const streamed = await post("/v1/messages", { ...ask, stream: true });
    expect(await streamed.text()).toMatch(/event: message_stop\ndata: .*"served_by":"backup"/);
    const response = await post("/v1/responses", { model: "default", input: "hello there" });
    expect(response.status).toBe(200);
    const responseStream = await post("/v1/responses", { model: "default", input: "hello there", stream: true });
    expect(await responseStream.text()).toContain("response.completed");
    await vi.waitFor(() => expect(logs).toHaveLength(4));
    expect(logs.map((entry) => [entry.path, entry.status, entry.served_by])).toEqual([
      ["/v1/messages", 200, "backup"],
      ["/v1/messages", 200, "backup"],
      ["/v1/responses", 200, "backup"],
      ["/v1/responses", 200, "backup"],
    ]);
    expect(await metricsText(gateway.url)).toMatch(/^bedrock_llm_gateway_fallbacks_total\{section="llm"\} 4$/m);
  });
});

describe("shutdown", () => {
  it("ends streams still open when the drain time runs out with an in-band error, logged as the server's doing", async ({
    emulator,
    control,
  }) => {
    // Three events, then the emulator stalls: the stream is open, its headers and first chunks sent.
    await control.fault({ operation: "ConverseStream", afterEvents: 3, delayMs: 60_000 });
    const { gateway, logs } = await startRouted(emulator.url, 300);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "default", messages: hello, stream: true }),
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value);
    const closing = gateway.close();
    for (let step = await reader.read(); !step.done; step = await reader.read()) received += decoder.decode(step.value);
    await closing;
    const events = received
      .split("\n\n")
      .filter((frame) => frame.startsWith("data: "))
      .map((frame) => frame.slice("data: ".length));
    expect(events.length).toBeGreaterThan(1);
    const last = JSON.parse(events.at(-1) as string) as { error?: { code: string; type: string } };
    expect(last.error).toMatchObject({ code: "shutting_down", type: "server_error" });
    expect(events).not.toContain("[DONE]");
    expect(chatLogs(logs)).toMatchObject([{ status: 200, error: "shutting_down", ended_by: "server" }]);
  });

  it("answers a completion still waiting when the drain time runs out with 503 shutting_down", async ({
    emulator,
    control,
  }) => {
    await control.fault({ operation: "Converse", delayMs: 60_000 });
    const { gateway, logs, client } = await startRouted(emulator.url, 300);
    const reply = client.chat.completions.create({ model: "default", messages: hello }).catch((e: unknown) => e);
    await vi.waitFor(async () => expect((await control.requests("Converse")).length).toBe(1));
    await gateway.close();
    const error = await reply;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("shutting_down");
    expect(chatLogs(logs)).toMatchObject([{ status: 503, error: "shutting_down", ended_by: "server" }]);
  });
});
