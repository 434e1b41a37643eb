// The gateway through the official openai client: chat, streaming, tools, cached-token usage, models, metrics, log.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, control, type Harness, longSystemPrompt, recordedRequests, startHarness } from "./harness.js";

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
});

describe("gateway: chat completions", () => {
  it("answers a chat completion with usage and cost", async () => {
    await control(h.emulator.url, "responses", { text: "Paris is the capital of France." });
    const res = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Capital of France?" }],
    });
    expect(res.object).toBe("chat.completion");
    expect(res.choices[0]?.message.content).toBe("Paris is the capital of France.");
    expect(res.choices[0]?.finish_reason).toBe("stop");
    expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage?.completion_tokens).toBeGreaterThan(0);
    const calls = await recordedRequests(h.emulator.url);
    expect(calls.map((c) => c.operation)).toEqual(["Converse"]);
    expect(calls[0]?.modelId).toBe("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  });

  it("streams SSE chunks, with usage in a last chunk when include_usage is set", async () => {
    await control(h.emulator.url, "responses", { text: "One two three four five." });
    const stream = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Count to five" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const finishes: string[] = [];
    let usageChunk: OpenAI.ChatCompletionChunk | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usageChunk = chunk;
    }
    expect(text).toBe("One two three four five.");
    expect(finishes).toEqual(["stop"]);
    expect(chunks).toBeGreaterThan(2);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage?.completion_tokens).toBeGreaterThan(0);
    expect((await recordedRequests(h.emulator.url))[0]?.operation).toBe("ConverseStream");
  });

  it("sends no usage chunk without include_usage", async () => {
    const stream = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    });
    for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
  });

  it("reports cached tokens on the second call with the same long system prompt", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: longSystemPrompt() },
      { role: "user", content: "First rule?" },
    ];
    const first = await client.chat.completions.create({ model: "default", messages });
    const second = await client.chat.completions.create({ model: "default", messages });
    const details = (u: OpenAI.CompletionUsage | undefined) =>
      u?.prompt_tokens_details as { cached_tokens?: number; cache_write_tokens?: number } | undefined;
    expect(details(first.usage)?.cache_write_tokens).toBeGreaterThan(1000);
    expect(details(second.usage)?.cached_tokens).toBe(details(first.usage)?.cache_write_tokens);
  });

  it("returns tool calls the OpenAI way", async () => {
    await control(h.emulator.url, "responses", {
      toolCalls: [{ name: "get_weather", input: { city: "Paris" } }],
      stopReason: "tool_use",
    });
    const res = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
    });
    const choice = res.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
  });

  it("streams tool-call deltas and cached-token usage", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: longSystemPrompt() },
      { role: "user", content: "Weather in Oslo?" },
    ];
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } },
    ];
    await client.chat.completions.create({ model: "default", messages, tools }); // writes the cache
    await control(h.emulator.url, "responses", {
      toolCalls: [{ name: "get_weather", input: { city: "Oslo" } }],
      stopReason: "tool_use",
    });
    const stream = await client.chat.completions.create({
      model: "default",
      messages,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let name = "";
    let args = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name += call?.function?.name ?? "";
      args += call?.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(name).toBe("get_weather");
    expect(JSON.parse(args)).toEqual({ city: "Oslo" });
    expect(finish).toBe("tool_calls");
    expect(usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThan(1000);
  });

  it("passes max_tokens, stop, temperature and response_format on to Bedrock", async () => {
    const res = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "A city, as JSON" }],
      max_tokens: 77,
      stop: ["END"],
      temperature: 0.3,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "city",
          schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
        },
      },
    });
    expect(typeof (JSON.parse(res.choices[0]?.message.content ?? "") as { name: unknown }).name).toBe("string");
    const body = (await recordedRequests(h.emulator.url))[0]?.body as {
      inferenceConfig?: { maxTokens?: number; stopSequences?: string[]; temperature?: number };
    };
    expect(body.inferenceConfig).toMatchObject({ maxTokens: 77, stopSequences: ["END"], temperature: 0.3 });
  });

  it("routes a [llm.NAME] section name and a registry id", async () => {
    await client.chat.completions.create({ model: "haiku", messages: [{ role: "user", content: "a" }] });
    await client.chat.completions.create({
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      messages: [{ role: "user", content: "b" }],
    });
    const ids = (await recordedRequests(h.emulator.url)).map((c) => c.modelId);
    expect(ids).toEqual(["us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-3-haiku-20240307-v1:0"]);
  });

  it("lists section names and registry ids on /v1/models", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.slice(0, 3)).toEqual(["default", "haiku", "guarded"]);
    expect(ids).toContain("anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect((await client.models.retrieve("haiku")).id).toBe("haiku");
    await expect(client.models.retrieve("gpt-4o")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("ends a guardrail intervention as a normal reply with finish_reason content_filter", async () => {
    await control(h.emulator.url, "guardrails", {
      id: "gw-guard",
      version: "1",
      blockedWords: ["forbidden"],
      blockedMessage: "Blocked by policy.",
    });
    const res = await client.chat.completions.create({
      model: "guarded",
      messages: [{ role: "user", content: "tell me the forbidden thing" }],
    });
    expect(res.choices[0]?.finish_reason).toBe("content_filter");
    expect(res.choices[0]?.message.content).toBe("Blocked by policy.");
  });
});

describe("gateway: observability", () => {
  it("writes one access-log line per request, without secrets or message contents", async () => {
    const before = h.logs.length;
    await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "secret-sauce-recipe" }],
    });
    const entry = h.logs.at(-1);
    expect(h.logs.length).toBe(before + 1);
    expect(entry).toMatchObject({ method: "POST", path: "/v1/chat/completions", status: 200, model: "default" });
    expect(entry?.prompt_tokens).toBeGreaterThan(0);
    expect(entry?.latency_ms).toBeGreaterThanOrEqual(0);
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain("secret-sauce-recipe");
    expect(all).not.toContain(API_KEY);
  });

  it("exposes Prometheus metrics", async () => {
    await client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "hi" }] });
    const res = await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } });
    const text = await res.text();
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text).toMatch(/^bedrock_llm_gateway_requests_total\{status="200"\} [1-9]/m);
    expect(text).toMatch(/^bedrock_llm_gateway_tokens_total\{kind="output"\} [1-9]/m);
    expect(text).toMatch(/^bedrock_llm_gateway_cost_usd_total 0\.\d+/m);
    expect(text).toMatch(/^bedrock_llm_gateway_request_duration_seconds_count [1-9]/m);
    expect(text).toMatch(/^bedrock_llm_gateway_retries_total \d+/m);
  });

  it("counts retries and errors by kind in /metrics", async () => {
    const scrape = async () =>
      (await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } })).text();
    const value = (text: string, series: string) =>
      Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    const before = await scrape();
    await control(h.emulator.url, "faults", { operation: "Converse", error: "ThrottlingException", count: 1 });
    await client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "retry me" }] });
    await client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }).catch(() => {});
    const after = await scrape();
    expect(value(after, "bedrock_llm_gateway_retries_total")).toBe(
      value(before, "bedrock_llm_gateway_retries_total") + 1,
    );
    expect(value(after, 'bedrock_llm_gateway_errors_total{kind="unknown_model"}')).toBe(
      value(before, 'bedrock_llm_gateway_errors_total{kind="unknown_model"}') + 1,
    );
  });

  it("answers /healthz without a key", async () => {
    const res = await fetch(`${h.gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
