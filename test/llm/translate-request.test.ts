/** OpenAI request -> Converse input: the pure translation layer, no network. */
import { describe, expect, it } from "vitest";
import { buildConverseInput } from "../../src/bedrock/request.js";
import { ValidationError } from "../../src/errors.js";
import type { ChatCompletionRequest, ChatMessage } from "../../src/llm/types.js";
import { filler, HAIKU_3, profileFor, SONNET_37, SONNET_45, SONNET_46, TITAN } from "./helpers.js";

const PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const TOOLS: ChatCompletionRequest["tools"] = [
  {
    type: "function",
    function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} } },
  },
];

function build(model: string, request: ChatCompletionRequest, extra: Record<string, unknown> = {}, stream = false) {
  const warnings: string[] = [];
  const input = buildConverseInput(request, profileFor(model, extra), stream, (m) => warnings.push(m));
  return { input, warnings };
}

describe("messages", () => {
  it("maps system, text, images, tool calls and tool results into alternating Converse turns", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      {
        role: "user",
        content: [
          { type: "text", text: "   " },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_1PX}` } },
        ],
      },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { id: "t1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "t2", type: "function", function: { name: "get_weather", arguments: "" } },
        ],
      },
      { role: "tool", tool_call_id: "t1", content: "sunny" },
      { role: "tool", tool_call_id: "t2", content: "" },
      { role: "user", content: "thanks" },
    ];
    const { input } = build(SONNET_45, { messages, tools: TOOLS });
    expect(input.system).toEqual([{ text: "Be brief." }]);
    expect(input.messages?.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const [first, second, third] = input.messages ?? [];
    expect(first?.content?.[0]).toEqual({ text: "Hi" });
    expect(first?.content?.[1]?.image?.format).toBe("png");
    expect(Buffer.from(first?.content?.[1]?.image?.source?.bytes ?? []).toString("base64")).toBe(PNG_1PX);
    expect(first?.content).toHaveLength(2);
    expect(second?.content).toEqual([
      { toolUse: { toolUseId: "t1", name: "get_weather", input: { city: "Paris" } } },
      { toolUse: { toolUseId: "t2", name: "get_weather", input: {} } },
    ]);
    expect(third?.content).toEqual([
      { toolResult: { toolUseId: "t1", content: [{ text: "sunny" }] } },
      { toolResult: { toolUseId: "t2", content: [{ text: "(no output)" }] } },
      { text: "thanks" },
    ]);
  });

  it("starts with a user turn, trims a prefilled assistant turn, and sends thinking blocks first", () => {
    const { input } = build(SONNET_45, {
      messages: [
        {
          role: "assistant",
          content: "Sure ",
          thinking_blocks: [{ type: "thinking", thinking: "hmm", signature: "sig" }],
        },
      ],
    });
    expect(input.messages?.[0]).toEqual({ role: "user", content: [{ text: "." }] });
    expect(input.messages?.[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: "hmm", signature: "sig" } } },
      { text: "Sure" },
    ]);
  });

  it("accepts bare base64 and string image_url, and refuses unknown part types", () => {
    const image = (image_url: unknown) =>
      build(SONNET_45, { messages: [{ role: "user", content: [{ type: "image_url", image_url } as never] }] }).input
        .messages?.[0]?.content?.[0]?.image?.format;
    expect(image({ url: PNG_1PX })).toBe("png");
    expect(image(`data:image/png;base64,${PNG_1PX}`)).toBe("png");
    expect(() =>
      build(SONNET_45, { messages: [{ role: "user", content: [{ type: "input_audio" } as never] }] }),
    ).toThrow(/"input_audio" is not supported/);
  });

  it("accepts tool arguments sent as an object or null", () => {
    const { input } = build(SONNET_45, {
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          tool_calls: [
            { id: "a", type: "function", function: { name: "f", arguments: { k: 1 } as never } },
            { id: "b", type: "function", function: { name: "f", arguments: null as never } },
          ],
        },
      ],
      tools: TOOLS,
    });
    expect(input.messages?.[1]?.content?.map((b) => b.toolUse?.input)).toEqual([{ k: 1 }, {}]);
  });

  it("refuses malformed messages from JavaScript callers with a ValidationError naming the field", () => {
    const malformed = (request: unknown) => () => build(SONNET_45, request as ChatCompletionRequest);
    expect(malformed({})).toThrow(ValidationError);
    expect(malformed({})).toThrow(/messages must be an array/);
    expect(malformed({ messages: [null] })).toThrow(/messages\[0\] must be an object/);
    expect(malformed({ messages: [{ role: "user", content: 5 }] })).toThrow(/messages\[0\]\.content must be/);
    expect(
      malformed({
        messages: [
          { role: "system", content: {} },
          { role: "user", content: "x" },
        ],
      }),
    ).toThrow(/messages\[0\]\.content must be/);
  });

  it("refuses remote image URLs and arguments that are not a JSON object", () => {
    expect(() =>
      build(SONNET_45, {
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] }],
      }),
    ).toThrow(/data: URL/);
    expect(() =>
      build(SONNET_45, {
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "[1]" } }] },
        ],
        tools: TOOLS,
      }),
    ).toThrow(ValidationError);
  });
});

describe("model differences", () => {
  it("folds the system prompt into Titan's first user turn and refuses tools and images clearly", () => {
    const { input } = build(TITAN, {
      messages: [
        { role: "system", content: "Rules." },
        { role: "user", content: "Hello" },
      ],
    });
    expect(input.system).toBeUndefined();
    expect(input.messages?.[0]?.content).toEqual([{ text: "Rules." }, { text: "Hello" }]);
    expect(() => build(TITAN, { messages: [{ role: "user", content: "x" }], tools: TOOLS })).toThrow(/tool/);
    expect(() =>
      build(TITAN, {
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: PNG_1PX } }] }],
      }),
    ).toThrow(/does not accept images/);
  });
});

describe("tools and inference settings", () => {
  const messages: ChatMessage[] = [{ role: "user", content: "x" }];

  it("maps tool_choice auto / required / named / none", () => {
    expect(build(SONNET_45, { messages, tools: TOOLS, tool_choice: "auto" }).input.toolConfig?.toolChoice).toEqual({
      auto: {},
    });
    expect(build(SONNET_45, { messages, tools: TOOLS, tool_choice: "required" }).input.toolConfig?.toolChoice).toEqual({
      any: {},
    });
    const named = build(SONNET_45, {
      messages,
      tools: TOOLS,
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(named.input.toolConfig?.toolChoice).toEqual({ tool: { name: "get_weather" } });
    expect(build(SONNET_45, { messages, tools: TOOLS, tool_choice: "none" }).input.toolConfig).toBeUndefined();
    expect(build(SONNET_45, { messages, tools: TOOLS }).input.toolConfig?.tools?.[0]).toEqual({
      toolSpec: { name: "get_weather", description: "Weather", inputSchema: { json: TOOLS?.[0]?.function.parameters } },
    });
  });

  it("maps temperature, top_p, max_tokens and stop; defaults max_tokens from the config or the model", () => {
    const { input } = build(SONNET_45, { messages, temperature: 0.2, top_p: 0.9, max_tokens: 100, stop: "END" });
    expect(input.inferenceConfig).toEqual({ maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ["END"] });
    expect(build(SONNET_45, { messages }, { max_output_tokens: 777 }).input.inferenceConfig?.maxTokens).toBe(777);
    expect(build(HAIKU_3, { messages }).input.inferenceConfig?.maxTokens).toBe(4096);
    expect(build(SONNET_45, { messages }).input.inferenceConfig?.maxTokens).toBe(8192);
  });

  it("passes structured output, service tier, latency and guardrails as Bedrock expects", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    const extra = {
      service_tier: "flex",
      latency: "optimized",
      guardrail_config: {
        guardrailIdentifier: "g1",
        guardrailVersion: "DRAFT",
        trace: "enabled",
        streamProcessingMode: "async",
      },
    };
    const request: ChatCompletionRequest = {
      messages,
      response_format: { type: "json_schema", json_schema: { name: "answer", description: "An answer", schema } },
    };
    const { input } = build(SONNET_45, request, extra);
    expect(input.outputConfig).toEqual({
      textFormat: {
        type: "json_schema",
        structure: { jsonSchema: { schema: JSON.stringify(schema), name: "answer", description: "An answer" } },
      },
    });
    expect(input.serviceTier).toEqual({ type: "flex" });
    expect(input.performanceConfig).toEqual({ latency: "optimized" });
    expect(input.guardrailConfig).toEqual({ guardrailIdentifier: "g1", guardrailVersion: "DRAFT", trace: "enabled" });
    expect(build(SONNET_45, request, extra, true).input.guardrailConfig).toMatchObject({
      streamProcessingMode: "async",
    });
    expect(() => build(HAIKU_3, request)).toThrow(/structured output/);
  });
});

describe("reasoning", () => {
  const messages: ChatMessage[] = [{ role: "user", content: "x" }];

  it("uses adaptive thinking with effort where the model has it", () => {
    const { input } = build(SONNET_46, { messages, reasoning_effort: "high" });
    expect(input.additionalModelRequestFields).toEqual({ thinking: { type: "adaptive" } });
    expect(input.outputConfig).toEqual({ effort: "high" });
  });

  it("maps effort to a manual budget below max_tokens, raising max_tokens when needed", () => {
    const { input } = build(SONNET_37, { messages, reasoning_effort: "high", max_tokens: 1000 });
    expect(input.additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 16_384 } });
    expect(input.inferenceConfig?.maxTokens).toBe(16_384 + 4096);
    const budget = build(SONNET_37, { messages }, { thinking_budget_tokens: 3000 }).input;
    expect(budget.additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 3000 } });
    expect(budget.inferenceConfig?.maxTokens).toBe(8192);
  });

  it("drops temperature, top_p and a forced tool choice with one warning", () => {
    const { input, warnings } = build(SONNET_37, {
      messages,
      reasoning_effort: "low",
      temperature: 0.5,
      top_p: 0.5,
      tools: TOOLS,
      tool_choice: "required",
    });
    expect(input.inferenceConfig?.temperature).toBeUndefined();
    expect(input.inferenceConfig?.topP).toBeUndefined();
    expect(input.toolConfig?.toolChoice).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/temperature, top_p, the forced tool_choice/);
  });

  it("refuses reasoning on models without thinking", () => {
    expect(() => build(HAIKU_3, { messages, reasoning_effort: "low" })).toThrow(/no extended thinking/);
  });
});

describe("cache points", () => {
  const longSystem = filler(20_000);

  function conversation(turns: number): ChatMessage[] {
    const messages: ChatMessage[] = [{ role: "system", content: longSystem }];
    for (let i = 0; i < turns; i += 1) {
      messages.push({ role: "user", content: `question ${i} ${filler(400)}` });
      messages.push({ role: "assistant", content: `answer ${i}` });
    }
    messages.push({ role: "user", content: "last" });
    return messages;
  }

  it("closes the system prompt, the tools and the last two user turns, with the configured TTL", () => {
    const tools = [{ type: "function" as const, function: { name: "big", description: filler(6000), parameters: {} } }];
    const { input } = build(SONNET_45, { messages: conversation(3), tools }, { caching_prompt: true, cache_ttl: "5m" });
    expect(input.toolConfig?.tools?.at(-1)).toEqual({ cachePoint: { type: "default", ttl: "5m" } });
    expect(input.system?.at(-1)).toEqual({ cachePoint: { type: "default", ttl: "5m" } });
    const userTurns = (input.messages ?? []).filter((m) => m.role === "user");
    const marked = userTurns.filter((m) => m.content?.at(-1)?.cachePoint);
    expect(marked).toEqual(userTurns.slice(-2));
    const all = JSON.stringify(input).match(/cachePoint/g) ?? [];
    expect(all).toHaveLength(4);
  });

  it("places none when caching is off, the model cannot cache, or the prefix is below the minimum", () => {
    expect(JSON.stringify(build(SONNET_45, { messages: conversation(2) }).input)).not.toContain("cachePoint");
    expect(JSON.stringify(build(TITAN, { messages: conversation(2) }, { caching_prompt: true }).input)).not.toContain(
      "cachePoint",
    );
    const short = build(SONNET_45, { messages: [{ role: "user", content: "hi" }] }, { caching_prompt: true });
    expect(JSON.stringify(short.input)).not.toContain("cachePoint");
  });

  it("honours cache_control hints on long enough prefixes and never exceeds four points", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: [{ type: "text", text: longSystem, cache_control: { type: "ephemeral" } }] },
      ...conversation(4).slice(1),
    ];
    const { input } = build(SONNET_45, { messages }, { caching_prompt: true });
    expect(input.system).toEqual([{ text: longSystem }, { cachePoint: { type: "default", ttl: "1h" } }]);
    expect(JSON.stringify(input).match(/cachePoint/g)).toHaveLength(3);
  });

  it("drops hints that close too short a prefix, and hints on models that cannot cache", () => {
    const hinted: ChatMessage[] = [
      { role: "user", content: [{ type: "text", text: "short", cache_control: { type: "ephemeral", ttl: "5m" } }] },
    ];
    expect(JSON.stringify(build(SONNET_45, { messages: hinted }).input)).not.toContain("cachePoint");
    expect(JSON.stringify(build(HAIKU_3, { messages: hinted }).input)).not.toContain("cachePoint");
  });

  it("places a cache point after any part that carries cache_control: a document, an image", () => {
    const image = `data:image/png;base64,${"iVBORw0KGgo".padEnd(64, "A")}`;
    const messages: ChatMessage[] = [
      {
        role: "user",
        content: [
          {
            type: "document",
            document: { name: "manual", format: "txt", text: longSystem },
            cache_control: { type: "ephemeral", ttl: "1h" },
          },
          { type: "image_url", image_url: { url: image }, cache_control: { type: "ephemeral" } },
          { type: "text", text: "What does the manual say about this picture?" },
        ],
      },
    ];
    const content = build(SONNET_45, { messages }).input.messages?.[0]?.content ?? [];
    expect(content.map((block) => Object.keys(block)[0])).toEqual([
      "document",
      "cachePoint",
      "image",
      "cachePoint",
      "text",
    ]);
    expect(content[1]).toEqual({ cachePoint: { type: "default", ttl: "1h" } });
  });

  it("keeps 1h points ahead of 5m ones", () => {
    const messages: ChatMessage[] = [
      {
        role: "system",
        content: [{ type: "text", text: longSystem, cache_control: { type: "ephemeral", ttl: "5m" } }],
      },
      { role: "user", content: `question ${filler(400)}` },
    ];
    const { input } = build(SONNET_45, { messages }, { caching_prompt: true, cache_ttl: "1h" });
    expect(JSON.stringify(input).match(/"ttl":"(5m|1h)"/g)).toEqual(['"ttl":"5m"', '"ttl":"5m"']);
  });

  it("does not mutate the caller's messages or tools", () => {
    const messages = conversation(2);
    const tools = [{ type: "function" as const, function: { name: "f", description: filler(8000) } }];
    const before = JSON.stringify({ messages, tools });
    build(SONNET_45, { messages, tools }, { caching_prompt: true });
    build(SONNET_45, { messages, tools }, { caching_prompt: true });
    expect(JSON.stringify({ messages, tools })).toBe(before);
  });
});
