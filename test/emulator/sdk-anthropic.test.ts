/**
 * @anthropic-ai/bedrock-sdk against the emulator: messages.create and messages.stream on the native path
 * (InvokeModel / InvokeModelWithResponseStream), with a tool round trip, thinking sent back with its signature,
 * betas, prompt caching, scripted replies and injected faults.
 */
import AnthropicBedrock from "@anthropic-ai/bedrock-sdk";
import { describe, expect } from "vitest";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, type RunningEmulator } from "../../src/emulator/index.js";
import { test } from "../support/fixtures.js";
import { REGION, SONNET_45_PROFILE } from "./helpers.js";

/** One Anthropic SDK client for the file, signed with the built-in keys, no retries. */
const it = test.extend(
  "client",
  { scope: "file" },
  ({ emulator }) =>
    new AnthropicBedrock({
      baseURL: emulator.url,
      awsRegion: REGION,
      awsAccessKey: BUILTIN_ACCESS_KEY_ID,
      awsSecretKey: BUILTIN_SECRET_ACCESS_KEY,
      maxRetries: 0,
    }),
);

const MODEL = SONNET_45_PROFILE;
const weather = {
  name: "get_weather",
  description: "Current weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

function lastBody(emulator: RunningEmulator): Record<string, unknown> {
  return emulator.state.requests.at(-1)?.body as Record<string, unknown>;
}

describe("messages.create", () => {
  it("runs a tool round trip", async ({ client, emulator }) => {
    const question = { role: "user" as const, content: "What is the weather in Paris?" };
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 512,
      tools: [weather],
      tool_choice: { type: "any" },
      messages: [question],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((block) => block.type === "tool_use");
    if (use?.type !== "tool_use") throw new Error("expected a tool_use block");
    expect(use.input).toEqual({ city: "example" });
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 512,
      tools: [weather],
      messages: [
        question,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "18 C and cloudy" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: 'Tool results received: result "18 C and cloudy".' }]);
    expect(lastBody(emulator)).toMatchObject({ anthropic_version: expect.any(String), max_tokens: 512 });
  });

  it("thinks, and takes its signed thinking back in the next turn of a tool loop", async ({ client, control }) => {
    await control.respond({ toolCalls: [{ name: "get_weather", input: { city: "Lima" } }] });
    const question = { role: "user" as const, content: "Lima?" };
    const thinking = { type: "enabled" as const, budget_tokens: 2048 };
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 4096,
      thinking,
      tools: [weather],
      messages: [question],
    });
    expect(first.content.map((block) => block.type)).toEqual(["thinking", "tool_use"]);
    const use = first.content[1];
    if (use?.type !== "tool_use") throw new Error("expected a tool_use block");
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 4096,
      thinking,
      tools: [weather],
      messages: [
        question,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "warm" }] },
      ],
    });
    expect(second.content.at(-1)).toEqual({ type: "text", text: 'Tool results received: result "warm".' });
  });

  it("sends betas as anthropic_beta, and gets Bedrock's 400 for one it does not take", async ({ client, emulator }) => {
    const ok = await client.beta.messages.create({
      model: MODEL,
      max_tokens: 2048,
      betas: ["interleaved-thinking-2025-05-14"],
      thinking: { type: "enabled", budget_tokens: 4096 },
      messages: [{ role: "user", content: "interleave" }],
    });
    expect(ok.content[0]?.type).toBe("thinking");
    expect(lastBody(emulator).anthropic_beta).toEqual(["interleaved-thinking-2025-05-14"]);
    const refused = await client.beta.messages
      .create({
        model: MODEL,
        max_tokens: 64,
        betas: ["files-api-2025-04-14"],
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AnthropicBedrock.BadRequestError);
    expect((refused as Error).message).toContain("invalid beta flag");
  });

  it("reports cache writes and reads for cache_control blocks", async ({ client }) => {
    const system = [
      {
        type: "text" as const,
        text: "policy ".repeat(800),
        cache_control: { type: "ephemeral" as const, ttl: "1h" as const },
      },
    ];
    const ask = (content: string) =>
      client.messages.create({ model: MODEL, max_tokens: 64, system, messages: [{ role: "user", content }] });
    const first = await ask("one");
    const second = await ask("two");
    expect(first.usage.cache_creation_input_tokens).toBe(1400);
    expect(first.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(1400);
    expect(second.usage).toMatchObject({ cache_read_input_tokens: 1400, cache_creation_input_tokens: 0 });
  });

  it("surfaces an injected throttle as the SDK's RateLimitError", async ({ client, control }) => {
    await control.fault({ operation: "InvokeModel", error: "ThrottlingException", retryAfterSeconds: 1 });
    const error = await client.messages
      .create({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnthropicBedrock.RateLimitError);
  });
});

describe("messages.stream", () => {
  it("assembles thinking, text and a tool call from the event stream", async ({ client, emulator, control }) => {
    await control.respond({
      text: "Checking the weather.",
      toolCalls: [{ name: "get_weather", input: { city: "Kyoto" } }],
    });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 4096,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools: [weather],
      messages: [{ role: "user", content: "Kyoto weather" }],
    });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
    const [thought, text, use] = message.content;
    expect(thought).toMatchObject({ type: "thinking", thinking: "Considering the request: Kyoto weather" });
    expect(thought?.type === "thinking" && thought.signature.length).toBeGreaterThan(0);
    expect(text).toMatchObject({ type: "text", text: "Checking the weather." });
    expect(use).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Kyoto" } });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(events[0]).toBe("message_start");
    expect(events.at(-1)).toBe("message_stop");
    expect(emulator.state.requests.at(-1)?.operation).toBe("InvokeModelWithResponseStream");
  });

  it("ends with the SDK's error when the stream fails midway", async ({ client, control }) => {
    await control.fault({
      operation: "InvokeModelWithResponseStream",
      error: "ThrottlingException",
      afterEvents: 3,
    });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: "user", content: "this will break" }],
    });
    await expect(stream.finalMessage()).rejects.toThrow(/Too many requests/);
  });
});
