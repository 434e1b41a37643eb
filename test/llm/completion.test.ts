/** llm.completion / llm.stream against the emulator: what Bedrock received and what the caller got. */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { describe, expect } from "vitest";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { AbortedError, ConfigError, CredentialsError, TimeoutError, ValidationError } from "../../src/errors.js";
import { LLM } from "../../src/llm/index.js";
import type { ChatCompletionRequest } from "../../src/llm/types.js";
import { collect, it } from "./emulator.js";
import { HAIKU_3, llmConfig, SONNET_45, TITAN } from "./helpers.js";

const WEATHER_TOOL: NonNullable<ChatCompletionRequest["tools"]> = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

/** A client as an application makes one for the LLM's `client` option. */
function callersClient(url: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: BUILTIN_ACCESS_KEY_ID, secretAccessKey: BUILTIN_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

describe("completion", () => {
  it("sends the translated request to the cross-region profile and returns an OpenAI completion", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(SONNET_45, { temperature: 0.3 });
    const response = await llm.completion({
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "hello there friend" },
      ],
      max_tokens: 200,
      stop: ["STOP"],
    });
    expect(response.object).toBe("chat.completion");
    expect(response.choices[0]?.message.content).toBe("Echo: hello there friend");
    expect(response.choices[0]?.finish_reason).toBe("stop");
    expect(response.usage.prompt_tokens).toBeGreaterThan(0);
    expect(response.usage.total_tokens).toBe(response.usage.prompt_tokens + response.usage.completion_tokens);

    const [sent] = await control.requests();
    expect(sent?.operation).toBe("Converse");
    expect(sent?.modelId).toBe(`us.${SONNET_45}`);
    expect(sent?.body).toMatchObject({
      system: [{ text: "You are terse." }],
      messages: [{ role: "user", content: [{ text: "hello there friend" }] }],
      inferenceConfig: { maxTokens: 200, temperature: 0.3, stopSequences: ["STOP"] },
    });
  });

  it("streams tool calls as OpenAI deltas and ends with usage and cost", async ({ llmFor, control }) => {
    await control.respond({
      text: "Checking.",
      toolCalls: [{ name: "get_weather", input: { city: "Paris, France" }, id: "tooluse_1" }],
    });
    const llm = llmFor(SONNET_45);
    const result = await collect(
      llm.stream({ messages: [{ role: "user", content: "weather in Paris?" }], tools: WEATHER_TOOL }),
    );
    expect(result.chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(result.text).toBe("Checking.");
    expect(result.calls).toEqual([{ id: "tooluse_1", name: "get_weather", arguments: '{"city":"Paris, France"}' }]);
    expect(result.last?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(result.last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(result.last?.cost).toBeGreaterThan(0);
    const [sent] = await control.requests();
    expect(sent?.operation).toBe("ConverseStream");
    expect(sent?.body).toHaveProperty("toolConfig", {
      tools: [
        {
          toolSpec: {
            name: "get_weather",
            description: "Current weather for a city",
            inputSchema: { json: WEATHER_TOOL[0]?.function.parameters },
          },
        },
      ],
    });
  });

  it("completes a tool round trip: the tool result goes back as a toolResult Bedrock accepts", async ({ llmFor }) => {
    const llm = llmFor(SONNET_45);
    const first = await llm.completion({
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: WEATHER_TOOL,
      tool_choice: "required",
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(JSON.parse(call?.function.arguments ?? "")).toHaveProperty("city");
    const second = await llm.completion({
      messages: [
        { role: "user", content: "weather in Paris?" },
        first.choices[0]?.message as never,
        { role: "tool", tool_call_id: call?.id ?? "", content: "sunny, 21 C" },
      ],
      tools: WEATHER_TOOL,
    });
    expect(second.choices[0]?.message.content).toContain("sunny, 21 C");
  });

  it("sends image parts as image blocks with their bytes", async ({ llmFor, control }) => {
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    const llm = llmFor(SONNET_45);
    await llm.completion({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
    const [sent] = await control.requests();
    expect(sent?.body).toMatchObject({
      messages: [
        { content: [{ text: "What is in this picture?" }, { image: { format: "png", source: { bytes: png } } }] },
      ],
    });
  });

  it("folds the system prompt into Titan's first turn", async ({ llmFor, control }) => {
    const llm = llmFor(TITAN);
    const response = await llm.completion({
      messages: [
        { role: "system", content: "Rules here." },
        { role: "user", content: "hi" },
      ],
    });
    expect(response.choices[0]?.message.content).toMatch(/^Echo:/);
    const [sent] = await control.requests();
    expect(sent?.body).not.toHaveProperty("system");
    expect(sent?.body).toMatchObject({
      messages: [{ role: "user", content: [{ text: "Rules here." }, { text: "hi" }] }],
    });
  });

  it("sends structured output, service tier and latency; the reply follows the schema", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45, { service_tier: "priority", latency: "optimized" });
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    };
    const response = await llm.completion({
      messages: [{ role: "user", content: "Name a city" }],
      response_format: { type: "json_schema", json_schema: { name: "city", schema } },
    });
    expect(JSON.parse(response.choices[0]?.message.content ?? "")).toHaveProperty("city");
    const [sent] = await control.requests();
    expect(sent?.body).toMatchObject({
      outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { name: "city" } } } },
      serviceTier: { type: "priority" },
      performanceConfig: { latency: "optimized" },
    });
  });

  it("names the cross_region_target to set when the model needs an inference profile", async ({ llmFor }) => {
    const llm = llmFor(SONNET_45, { cross_region_target: undefined });
    const error = await llm.completion({ messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('cross_region_target = "us"');
    expect(llm.metrics.retries).toBe(0);
  });

  it("refuses reasoning on a model without thinking before calling Bedrock", async ({ llmFor, control }) => {
    const llm = llmFor(HAIKU_3);
    await expect(
      llm.completion({ messages: [{ role: "user", content: "x" }], reasoning_effort: "low" }),
    ).rejects.toThrow(ValidationError);
    expect(await control.requests()).toHaveLength(0);
  });

  it("ends with AbortedError when the caller aborts and TimeoutError when the timeout passes", async ({
    llmFor,
    control,
  }) => {
    // A fault with no error only delays the answer.
    await control.fault({ operation: "*", count: 2, delayMs: 2_000 });
    const llm = llmFor(HAIKU_3);
    const controller = new AbortController();
    const pending = llm.completion({ messages: [{ role: "user", content: "x" }], signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await expect(llm.completion({ messages: [{ role: "user", content: "x" }], timeout: 0.2 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it("bounds a stream's silences, not its length: a reply that keeps arriving outlives the timeout", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(HAIKU_3);
    const words = "one two three four five six seven eight nine ten eleven twelve";
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    await control.respond({ text: long });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    let text = "";
    // The consumer's pauses stand in for a model that streams slowly: 50 ms gaps under a 400 ms timeout.
    for await (const chunk of llm.stream({ messages: [{ role: "user", content: words }], timeout: 0.4 })) {
      text += chunk.choices[0]?.delta.content ?? "";
      await pause();
    }
    expect(performance.now() - started).toBeGreaterThan(400);
    expect(text).toBe(long);

    // A stall longer than the timeout mid-stream ends it with TimeoutError keeping the text so far.
    await control.fault({ operation: "ConverseStream", count: 1, afterEvents: 3, delayMs: 2_000 });
    let partial = "";
    const error = await (async () => {
      for await (const chunk of llm.stream({ messages: [{ role: "user", content: words }], timeout: 0.4 })) {
        partial += chunk.choices[0]?.delta.content ?? "";
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain("sent nothing for 0.4 s");
    expect((error as TimeoutError).partialText).toBe(partial);
    expect(partial.length).toBeGreaterThan(0);
  });

  it("ends a stream aborted midway with AbortedError carrying the text received", async ({ llmFor }) => {
    const llm = llmFor(HAIKU_3);
    const controller = new AbortController();
    let received = "";
    const error = await (async () => {
      for await (const chunk of llm.stream({
        messages: [{ role: "user", content: "one two three four five six seven eight nine ten" }],
        signal: controller.signal,
      })) {
        received += chunk.choices[0]?.delta.content ?? "";
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(received.length).toBeGreaterThan(0);
    expect((error as AbortedError).partialText).toBe(received);
  });

  it("resolves a per-request model override with the same cross_region_target", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45);
    await llm.completion({ messages: [{ role: "user", content: "x" }], model: `bedrock/${HAIKU_3}` });
    await llm.completion({ messages: [{ role: "user", content: "y" }], model: HAIKU_3 });
    expect((await control.requests()).map((r) => r.modelId)).toEqual([`us.${HAIKU_3}`, `us.${HAIKU_3}`]);
  });

  it("reports refused credentials as CredentialsError without the secret", async ({ llmFor }) => {
    const wrongSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGWRONGKEY";
    const llm = llmFor(HAIKU_3, { aws_secret_access_key: wrongSecret });
    const error = await llm.completion({ messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).not.toContain(wrongSecret);
    expect(llm.metrics.retries).toBe(0);
  });

  it("uses a client the caller brings instead of building one from the configuration", async ({
    emulator,
    control,
  }) => {
    const client = callersClient(emulator.url);
    const llm = new LLM(llmConfig(HAIKU_3), { client, onWarning: () => {} });
    const response = await llm.completion({ messages: [{ role: "user", content: "hi" }] });
    expect(response.choices[0]?.message.content).toBe("Echo: hi");
    expect((await control.requests())[0]?.accessKeyId).toBe(BUILTIN_ACCESS_KEY_ID);
    client.destroy();
  });

  it("runs the middleware the caller adds to its client, before its first call or after", async ({ emulator }) => {
    const client = callersClient(emulator.url);
    const llm = new LLM(llmConfig(HAIKU_3), { client, onWarning: () => {} });
    const ask = () => llm.completion({ messages: [{ role: "user", content: "hi" }] });
    await ask();
    const seen: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        seen.push(String(context.commandName));
        return next(args);
      },
      { step: "initialize", name: "recordCommands" },
    );
    await ask();
    for await (const _ of llm.stream({ messages: [{ role: "user", content: "hi" }] }));
    expect(seen).toEqual(["ConverseCommand", "ConverseStreamCommand"]);
    client.destroy();
  });

  it("refuses a missing configuration with a ConfigError saying what to pass", () => {
    const construct = (config: unknown) => () => new LLM(config as never);
    expect(construct(undefined)).toThrow(ConfigError);
    expect(construct(null)).toThrow(/needs an \[llm\] configuration/);
  });
});
