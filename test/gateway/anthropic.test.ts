// The Anthropic door through the official @anthropic-ai/sdk: create, stream, tools, thinking, caching, count_tokens,
// a non-Claude model through Converse, errors in Anthropic's shape, and both ways of presenting the key.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, control, type Harness, longSystemPrompt, recordedRequests, startHarness } from "./harness.js";

const SONNET = "claude-sonnet-4-5-20250929";
const NOVA = "amazon.nova-lite-v1:0";

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness({ model_aliases: { nova: NOVA, "claude-fast": "haiku" } });
  client = new Anthropic({ baseURL: h.gateway.url, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
});

const hello: Anthropic.MessageCreateParamsNonStreaming = {
  model: SONNET,
  max_tokens: 256,
  messages: [{ role: "user", content: "Capital of France?" }],
};

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": API_KEY, ...headers },
    body: JSON.stringify(body),
  });
}

describe("Anthropic door: Claude models go natively", () => {
  it("answers messages.create with the native body sent as InvokeModel", async () => {
    await control(h.emulator.url, "responses", { text: "Paris." });
    const message = await client.messages.create({ ...hello, metadata: { user_id: "u-1" }, stop_sequences: ["STOP"] });
    expect(message.type).toBe("message");
    expect(message.content).toEqual([{ type: "text", text: "Paris." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const [sent] = await recordedRequests(h.emulator.url);
    expect(sent?.operation).toBe("InvokeModel");
    expect(sent?.modelId).toBe("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(sent?.body).toEqual({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 256,
      messages: hello.messages,
      metadata: { user_id: "u-1" },
      stop_sequences: ["STOP"],
    });
    const entry = h.logs.at(-1);
    expect(entry).toMatchObject({ path: "/v1/messages", status: 200, model: SONNET });
    expect(entry?.cost).toBeGreaterThan(0);
  });

  it("streams Anthropic's event sequence, with a ping after message_start", async () => {
    await control(h.emulator.url, "responses", { text: "One two three four five." });
    const stream = client.messages.stream({ ...hello, messages: [{ role: "user", content: "Count" }] });
    const types: string[] = [];
    stream.on("streamEvent", (event) => types.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "One two three four five." }]);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect((await recordedRequests(h.emulator.url))[0]?.operation).toBe("InvokeModelWithResponseStream");

    const raw = await (await post("/v1/messages", { ...hello, stream: true })).text();
    const names = [...raw.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 3)).toEqual(["message_start", "ping", "content_block_start"]);
    expect(raw).not.toContain("amazon-bedrock-invocationMetrics");
    expect(h.logs.at(-1)).toMatchObject({ stream: true, status: 200 });
    expect(h.logs.at(-1)?.completion_tokens).toBeGreaterThan(0);
  });

  it("runs a tool round trip", async () => {
    await control(h.emulator.url, "responses", [
      { toolCalls: [{ name: "get_weather", input: { city: "Paris" } }], stopReason: "tool_use" },
      { text: "It is sunny in Paris." },
    ]);
    const tools: Anthropic.Tool[] = [
      {
        name: "get_weather",
        description: "Weather for a city",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ];
    const question: Anthropic.MessageParam = { role: "user", content: "Weather in Paris?" };
    const first = await client.messages.stream({ ...hello, tools, messages: [question] }).finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((block) => block.type === "tool_use");
    expect(call).toMatchObject({ name: "get_weather", input: { city: "Paris" } });
    const second = await client.messages.create({
      ...hello,
      tools,
      messages: [
        question,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call?.id ?? "", content: "Sunny, 24 C" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "It is sunny in Paris." }]);
  });

  it("returns signed thinking and takes it back in the next turn", async () => {
    await control(h.emulator.url, "responses", [
      {
        reasoning: "The user wants the weather.",
        toolCalls: [{ name: "get_weather", input: {} }],
        stopReason: "tool_use",
      },
      { text: "Done." },
    ]);
    const tools: Anthropic.Tool[] = [{ name: "get_weather", input_schema: { type: "object" } }];
    const thinking = { type: "enabled" as const, budget_tokens: 1024 };
    const question: Anthropic.MessageParam = { role: "user", content: "Weather?" };
    const first = await client.messages
      .stream({ ...hello, max_tokens: 2048, thinking, tools, messages: [question] })
      .finalMessage();
    const block = first.content[0];
    expect(block?.type).toBe("thinking");
    expect(block?.type === "thinking" && block.signature.length).toBeGreaterThan(10);
    const call = first.content.find((b) => b.type === "tool_use");
    const second = await client.messages.create({
      ...hello,
      max_tokens: 2048,
      thinking,
      tools,
      messages: [
        question,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call?.id ?? "", content: "Sunny" }] },
      ],
    });
    expect(second.content.at(-1)).toEqual({ type: "text", text: "Done." });
    const sent = (await recordedRequests(h.emulator.url))[1]?.body as { messages: { content: unknown[] }[] };
    expect(sent.messages[1]?.content[0]).toEqual(block);
  });

  it("keeps the client's cache_control with its TTL", async () => {
    const request: Anthropic.MessageCreateParamsNonStreaming = {
      ...hello,
      system: [{ type: "text", text: longSystemPrompt(), cache_control: { type: "ephemeral", ttl: "1h" } }],
    };
    const first = await client.messages.create(request);
    const second = await client.messages.create(request);
    expect(first.usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(1000);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    const [sent] = await recordedRequests(h.emulator.url);
    expect(sent?.body).toMatchObject({ system: [{ cache_control: { type: "ephemeral", ttl: "1h" } }] });
  });

  it("counts tokens with Bedrock CountTokens", async () => {
    const { input_tokens } = await client.messages.countTokens({
      model: SONNET,
      system: "Be brief.",
      messages: [{ role: "user", content: "How many tokens is this?" }],
    });
    const message = await client.messages.create({
      ...hello,
      system: "Be brief.",
      messages: [{ role: "user", content: "How many tokens is this?" }],
    });
    expect(input_tokens).toBe(message.usage.input_tokens);
    expect((await recordedRequests(h.emulator.url))[0]).toMatchObject({
      operation: "CountTokens",
      modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    });
  });

  it("takes what Claude Code sends: beta header and query, system entries in messages", async () => {
    const response = await post(
      "/v1/messages?beta=true",
      {
        ...hello,
        system: [{ type: "text", text: "You are terse." }],
        messages: [
          { role: "system", content: "Answer in French." },
          { role: "user", content: "Capital of France?" },
        ],
      },
      {
        "anthropic-version": "2023-06-01",
        "anthropic-beta":
          "claude-code-20250219, interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
      },
    );
    expect(response.status).toBe(200);
    const [sent] = await recordedRequests(h.emulator.url);
    expect(sent?.body).toMatchObject({
      system: [
        { type: "text", text: "You are terse." },
        { type: "text", text: "Answer in French." },
      ],
      messages: [{ role: "user", content: "Capital of France?" }],
      anthropic_beta: ["interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14"],
    });
  });

  it("maps Anthropic model ids and aliases through the registry and [server.model_aliases]", async () => {
    await client.messages.create({ ...hello, model: "claude-haiku-4-5" });
    await client.messages.create({ ...hello, model: "claude-fast" });
    const ids = (await recordedRequests(h.emulator.url)).map((r) => r.modelId);
    expect(ids).toEqual(["us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0"]);
  });
});

describe("Anthropic door: other models go through Converse", () => {
  it("answers create and stream from a Nova model", async () => {
    await control(h.emulator.url, "responses", [{ text: "Bonjour." }, { text: "Hello again friend." }]);
    // Claude Code's max_tokens and thinking, meant for a Claude model: lowered to Nova's limit, left out.
    const claudeCodeLike = { max_tokens: 32_000, thinking: { type: "enabled" as const, budget_tokens: 31_999 } };
    const message = await client.messages.create({ ...hello, model: "nova", system: "Be polite." });
    expect(message.content).toEqual([{ type: "text", text: "Bonjour." }]);
    expect(message.model).toBe("nova");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    const streamed = await client.messages.stream({ ...hello, ...claudeCodeLike, model: "nova" }).finalMessage();
    expect(streamed.content).toEqual([{ type: "text", text: "Hello again friend." }]);
    expect(streamed.usage.output_tokens).toBeGreaterThan(0);
    const calls = await recordedRequests(h.emulator.url);
    expect(calls.map((c) => [c.operation, c.modelId])).toEqual([
      ["Converse", `us.${NOVA}`],
      ["ConverseStream", `us.${NOVA}`],
    ]);
  });

  it("runs a tool round trip through Converse", async () => {
    await control(h.emulator.url, "responses", [
      { toolCalls: [{ name: "lookup", input: { q: "x" } }], stopReason: "tool_use" },
      { text: "Found it." },
    ]);
    const tools: Anthropic.Tool[] = [{ name: "lookup", input_schema: { type: "object" } }];
    const first = await client.messages.stream({ ...hello, model: "nova", tools }).finalMessage();
    const call = first.content.find((b) => b.type === "tool_use");
    expect(first.stop_reason).toBe("tool_use");
    expect(call).toMatchObject({ name: "lookup", input: { q: "x" } });
    const second = await client.messages.create({
      ...hello,
      model: "nova",
      tools,
      messages: [
        ...hello.messages,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call?.id ?? "", content: "the answer" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Found it." }]);
  });

  it("refuses count_tokens for a model CountTokens does not serve", async () => {
    const error = await client.messages.countTokens({ model: "nova", messages: hello.messages }).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe("Anthropic door: keys and errors", () => {
  it("accepts the key as x-api-key and as a bearer token", async () => {
    const viaHeader = new Anthropic({
      baseURL: h.gateway.url,
      apiKey: null,
      authToken: null,
      defaultHeaders: { "x-api-key": API_KEY },
      maxRetries: 0,
    });
    expect((await viaHeader.messages.create(hello)).type).toBe("message");
    const viaBearer = new Anthropic({ baseURL: h.gateway.url, authToken: API_KEY, apiKey: null, maxRetries: 0 });
    expect((await viaBearer.messages.create(hello)).type).toBe("message");
  });

  it("answers a wrong key with authentication_error (401)", async () => {
    const wrong = new Anthropic({ baseURL: h.gateway.url, apiKey: "sk-wrong", maxRetries: 0 });
    const error = await wrong.messages.create(hello).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.error).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const raw = await post("/v1/messages", hello, { "x-api-key": "sk-wrong" });
    expect(raw.status).toBe(401);
  });

  it("answers an unknown model with not_found_error naming the accepted names, the name cut short", async () => {
    const error = await client.messages.create({ ...hello, model: "claude-nonexistent-9" }).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.error.error.type).toBe("not_found_error");
    expect(error.error.error.message).toContain("claude-nonexistent-9");
    expect(error.error.error.message).toContain("haiku");
    expect(error.error.error.message).toContain("claude-fast");
    expect(error.error.error.message).toContain("claude-sonnet-4-5");
    const long = "x".repeat(5000);
    const huge = await client.messages.create({ ...hello, model: long }).catch((e) => e);
    expect(huge.error.error.message.length).toBeLessThan(1000);
  });

  it("answers a bad request with invalid_request_error (400), from the door and from Bedrock", async () => {
    const missing = await post("/v1/messages", { model: SONNET, messages: hello.messages });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "max_tokens: Field required" },
    });
    const tooMany = await post("/v1/messages", { ...hello, max_tokens: 10_000_000 });
    expect(tooMany.status).toBe(400);
    const refused = (await tooMany.json()) as { error: { type: string; message: string } };
    expect(refused.error).toMatchObject({
      type: "invalid_request_error",
      message: expect.stringContaining("max_tokens"),
    });
    const notJson = await fetch(`${h.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": API_KEY },
      body: "{",
    });
    expect(((await notJson.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("answers throttling that outlasts the retries with rate_limit_error (429) and retry-after", async () => {
    await control(h.emulator.url, "faults", { operation: "InvokeModel", error: "ThrottlingException", count: 5 });
    const error = await client.messages.create(hello).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.error.error.type).toBe("rate_limit_error");
    expect(Number(error.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await recordedRequests(h.emulator.url)).length).toBe(2); // the gateway's own attempt and one retry
  });

  it("ends a stream that breaks after content with an error event", async () => {
    await control(h.emulator.url, "responses", { text: "alpha beta gamma delta epsilon zeta eta theta iota" });
    await control(h.emulator.url, "faults", {
      operation: "InvokeModelWithResponseStream",
      error: "ServiceUnavailableException",
      afterEvents: 4,
    });
    const stream = client.messages.stream(hello);
    const error = await stream.finalMessage().catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
  });

  it("answers a body over the limit with request_too_large (413)", async () => {
    const big = await post("/v1/messages", { ...hello, system: "x".repeat(1_100_000) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { type: string } }).error.type).toBe("request_too_large");
  });
});
