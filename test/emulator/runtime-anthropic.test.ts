/**
 * The native Anthropic body on InvokeModel / InvokeModelWithResponseStream, at the runtime level: betas, tools and
 * tool_choice, thinking with signed and redacted blocks, cache_control with TTLs, and the stream event sequence.
 */
import { describe, expect, it } from "vitest";
import { handleRuntime } from "../../src/emulator/runtime/index.js";
import { REDACTED_TRIGGER } from "../../src/emulator/runtime/reply.js";
import type { EmulatorState } from "../../src/emulator/state.js";
import { CLAUDE_37, call, converseError, freshState, refusal, SONNET_45, userText } from "./runtime-helpers.js";

const OPUS_46 = "global.anthropic.claude-opus-4-6-v1";
const OPUS_47 = "us.anthropic.claude-opus-4-7";

type Json = Record<string, unknown>;

function native(extra: Json = {}, messages: unknown[] = [{ role: "user", content: "hello native" }]): Json {
  return { anthropic_version: "bedrock-2023-05-31", max_tokens: 4096, messages, ...extra };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
async function invoke(state: EmulatorState, body: unknown, model = SONNET_45): Promise<any> {
  const result = await handleRuntime(call("InvokeModel", model, body), state);
  if (result.kind !== "json") throw new Error("expected JSON");
  return result.body;
}

// biome-ignore lint/suspicious/noExplicitAny: decoded chunk payloads are loosely typed.
async function streamed(state: EmulatorState, body: unknown, model = SONNET_45): Promise<any[]> {
  const result = await handleRuntime(call("InvokeModelWithResponseStream", model, body), state);
  if (result.kind !== "stream") throw new Error("expected a stream");
  // biome-ignore lint/suspicious/noExplicitAny: decoded chunk payloads are loosely typed.
  const chunks: any[] = [];
  for await (const event of result.events) {
    if (event.type !== "event") throw new Error(`unexpected ${event.exceptionType}`);
    chunks.push(JSON.parse(Buffer.from((event.payload as { bytes: string }).bytes, "base64").toString("utf8")));
  }
  return chunks;
}

async function refused(body: unknown, model = SONNET_45, state = freshState()) {
  const error = await refusal(handleRuntime(call("InvokeModel", model, body), state));
  expect(error.errorName).toBe("ValidationException");
  return error.message;
}

const WEATHER = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("anthropic_version and anthropic_beta", () => {
  it("accepts the betas Bedrock accepts for Claude", async () => {
    const betas = [
      "interleaved-thinking-2025-05-14",
      "context-1m-2025-08-07",
      "token-efficient-tools-2025-02-19",
      "fine-grained-tool-streaming-2025-05-14",
      "computer-use-2025-01-24",
    ];
    const res = await invoke(freshState(), native({ anthropic_beta: betas }));
    expect(res.content).toEqual([{ type: "text", text: "Echo: hello native" }]);
  });

  it("refuses an unknown beta with Bedrock's 'invalid beta flag', on InvokeModel and on Converse", async () => {
    expect(await refused(native({ anthropic_beta: ["claude-code-20250219"] }))).toBe("invalid beta flag");
    const error = await converseError(freshState(), SONNET_45, {
      messages: [userText("hi")],
      additionalModelRequestFields: { anthropic_beta: ["extended-cache-ttl-2025-04-11"] },
    });
    expect(error.message).toBe("The model returned the following errors: invalid beta flag");
  });

  it("refuses a version other than bedrock-2023-05-31 and a beta that is not a list", async () => {
    expect(await refused(native({ anthropic_version: "2023-06-01" }))).toBe(
      "Malformed input request: #/anthropic_version: 2023-06-01 is not a valid enum value, please reformat your input and try again.",
    );
    expect(await refused(native({ anthropic_beta: "context-1m-2025-08-07" }))).toContain("#/anthropic_beta");
  });

  it("lets output-128k lift Claude 3.7 Sonnet's output limit", async () => {
    expect(await refused(native({ max_tokens: 100_000 }), CLAUDE_37)).toBe(
      "The model returned the following errors: max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-3-7-sonnet-20250219",
    );
    const res = await invoke(
      freshState(),
      native({ max_tokens: 100_000, anthropic_beta: ["output-128k-2025-02-19"] }),
      CLAUDE_37,
    );
    expect(res.stop_reason).toBe("end_turn");
  });

  it("needs a computer-use beta for the computer tool", async () => {
    const computer = { type: "computer_20250124", name: "computer", display_width_px: 1024, display_height_px: 768 };
    expect(await refused(native({ tools: [computer] }))).toContain("needs a computer-use beta flag");
    const res = await invoke(freshState(), native({ tools: [computer], anthropic_beta: ["computer-use-2025-01-24"] }));
    expect(res.stop_reason).toBe("end_turn");
  });
});

describe("messages, system, metadata and content blocks", () => {
  it("takes system as a string or blocks, and merges consecutive turns of one role", async () => {
    const state = freshState();
    const asString = await invoke(state, native({ system: "be brief" }));
    const asBlocks = await invoke(state, native({ system: [{ type: "text", text: "be brief" }] }));
    expect(asBlocks.usage.input_tokens).toBe(asString.usage.input_tokens);
    const merged = await invoke(
      state,
      native({}, [
        { role: "user", content: "first part" },
        { role: "user", content: [{ type: "text", text: "second part" }] },
      ]),
    );
    expect(merged.content[0].text).toBe("Echo: first part second part");
  });

  it("accepts metadata.user_id and refuses other metadata keys", async () => {
    expect((await invoke(freshState(), native({ metadata: { user_id: "u-1" } }))).type).toBe("message");
    expect(await refused(native({ metadata: { session: "s" } }))).toBe(
      "The model returned the following errors: metadata.session: Extra inputs are not permitted",
    );
  });

  it("counts base64 images and documents, and refuses an image media type Claude does not read", async () => {
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } };
    const doc = {
      type: "document",
      title: "Notes: Q3!",
      source: { type: "text", media_type: "text/plain", data: "abcd".repeat(10) },
    };
    const plain = await invoke(freshState(), native({}, [{ role: "user", content: [{ type: "text", text: "look" }] }]));
    const rich = await invoke(
      freshState(),
      native({}, [{ role: "user", content: [image, doc, { type: "text", text: "look" }] }]),
    );
    // 1,600 for the image; 40 characters / 4 + the name "Notes Q3" (2) for the document.
    expect(rich.usage.input_tokens - plain.usage.input_tokens).toBe(1600 + 10 + 2);
    const tiff = { type: "image", source: { type: "base64", media_type: "image/tiff", data: "AAAA" } };
    expect(await refused(native({}, [{ role: "user", content: [tiff] }]))).toContain(
      "messages.0.content.0.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
  });

  it("cuts the reply at a stop sequence and reports which", async () => {
    const state = freshState();
    state.scripted.push({ text: "one two STOP three" });
    const res = await invoke(state, native({ stop_sequences: ["STOP"] }));
    expect(res).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: "STOP", content: [{ text: "one two " }] });
  });
});

describe("tools and tool_choice", () => {
  it("tool_choice any and tool call a tool with an input drawn from its schema", async () => {
    const any = await invoke(freshState(), native({ tools: [WEATHER], tool_choice: { type: "any" } }));
    expect(any.stop_reason).toBe("tool_use");
    expect(any.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "example" } });
    expect(any.content[0].id).toMatch(/^toolu_bdrk_/);
    const named = await invoke(
      freshState(),
      native({
        tools: [{ name: "other", input_schema: { type: "object" } }, WEATHER],
        tool_choice: { type: "tool", name: "get_weather" },
      }),
    );
    expect(named.content[0].name).toBe("get_weather");
  });

  it("tool_choice auto and none answer in text", async () => {
    for (const type of ["auto", "none"]) {
      const res = await invoke(freshState(), native({ tools: [WEATHER], tool_choice: { type } }));
      expect(res.content[0].type).toBe("text");
    }
  });

  it("refuses an unknown tool_choice, a tool choice without a name, and a custom tool without input_schema", async () => {
    expect(await refused(native({ tools: [WEATHER], tool_choice: { type: "required" } }))).toContain(
      "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'",
    );
    expect(await refused(native({ tools: [WEATHER], tool_choice: { type: "tool" } }))).toContain(
      "tool_choice.tool.name: Field required",
    );
    expect(await refused(native({ tools: [{ name: "f" }] }))).toContain("tools.0.custom.input_schema: Field required");
  });

  it("runs a tool round trip: tool_use, then tool_result (also an empty one) back", async () => {
    const state = freshState();
    state.scripted.push({ toolCalls: [{ name: "get_weather", input: { city: "Paris" } }] });
    const first = await invoke(state, native({ tools: [WEATHER] }, [{ role: "user", content: "weather in Paris?" }]));
    const use = first.content[0];
    const history = [
      { role: "user", content: "weather in Paris?" },
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "Sunny, 24 C" }] },
    ];
    const second = await invoke(state, native({ tools: [WEATHER] }, history));
    expect(second.content[0].text).toBe('Tool results received: result "Sunny, 24 C".');
    const empty = [
      ...history.slice(0, 2),
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "" }] },
    ];
    expect((await invoke(state, native({ tools: [WEATHER] }, empty))).stop_reason).toBe("end_turn");
  });
});

describe("thinking", () => {
  const enabled = { thinking: { type: "enabled", budget_tokens: 2048 } };

  it("answers a signed thinking block first, which is accepted back unchanged and refused when altered", async () => {
    const state = freshState();
    state.scripted.push({ toolCalls: [{ name: "get_weather", input: { city: "Oslo" } }] });
    const first = await invoke(state, native({ ...enabled, tools: [WEATHER] }, [{ role: "user", content: "Oslo?" }]));
    expect(first.content[0]).toMatchObject({ type: "thinking", thinking: "Considering the request: Oslo?" });
    expect(first.content[0].signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const result = { type: "tool_result", tool_use_id: first.content[1].id, content: "cold" };
    const turn = (assistant: unknown[]) =>
      native({ ...enabled, tools: [WEATHER] }, [
        { role: "user", content: "Oslo?" },
        { role: "assistant", content: assistant },
        { role: "user", content: [result] },
      ]);
    const second = await invoke(state, turn(first.content));
    expect(second.content.map((b: Json) => b.type)).toEqual(["thinking", "text"]);
    const altered = [{ ...first.content[0], thinking: "something else" }, first.content[1]];
    expect(await refused(turn(altered), SONNET_45, state)).toContain("Invalid `signature` in `thinking` block");
    expect(await refused(turn([first.content[1]]), SONNET_45, state)).toContain(
      "Expected `thinking` or `redacted_thinking`, but found `tool_use`",
    );
  });

  it("redacts the reasoning for Anthropic's test string, and recognises its own redacted data", async () => {
    const state = freshState();
    const ask = [{ role: "user", content: `think ${REDACTED_TRIGGER}` }];
    const first = await invoke(state, native(enabled, ask));
    expect(first.content[0].type).toBe("redacted_thinking");
    expect(first.content[0].data).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const again = (data: string) =>
      native(enabled, [
        ...ask,
        { role: "assistant", content: [{ type: "redacted_thinking", data }, first.content[1]] },
        { role: "user", content: "more" },
      ]);
    expect((await invoke(state, again(first.content[0].data))).type).toBe("message");
    expect(await refused(again(Buffer.alloc(40).toString("base64")), SONNET_45, state)).toContain(
      "Invalid `data` in `redacted_thinking` block",
    );
  });

  it("lets interleaved thinking take a budget above max_tokens", async () => {
    const big = { max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 4096 } };
    expect(await refused(native(big))).toContain("`max_tokens` must be greater than `thinking.budget_tokens`");
    const res = await invoke(freshState(), native({ ...big, anthropic_beta: ["interleaved-thinking-2025-05-14"] }));
    expect(res.content[0].type).toBe("thinking");
  });

  it("takes adaptive thinking where the model offers it", async () => {
    const res = await invoke(freshState(), native({ thinking: { type: "adaptive" } }), OPUS_46);
    expect(res.content[0].type).toBe("thinking");
    expect(await refused(native(enabled), OPUS_47)).toContain('"thinking.type.enabled" is not supported');
  });
});

describe("cache_control", () => {
  const longSystem = (ttl?: string) => [
    { type: "text", text: "s".repeat(4 * 1200), cache_control: { type: "ephemeral", ...(ttl ? { ttl } : {}) } },
  ];

  it("writes then reads the prefix, with the writes split by TTL", async () => {
    const state = freshState();
    const first = await invoke(state, native({ system: longSystem("1h") }));
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: 1200,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1200 },
    });
    const second = await invoke(state, native({ system: longSystem("1h") }, [{ role: "user", content: "other" }]));
    expect(second.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 1200 });
  });

  it("caches tools and messages too, and refuses a cache_control type other than ephemeral", async () => {
    const state = freshState();
    const tool = { ...WEATHER, description: "d".repeat(4 * 1100), cache_control: { type: "ephemeral" } };
    const first = await invoke(state, native({ tools: [tool] }));
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1100);
    const message = [
      {
        role: "user",
        content: [{ type: "text", text: "m".repeat(4 * 1100), cache_control: { type: "ephemeral", ttl: "5m" } }],
      },
    ];
    expect((await invoke(state, native({}, message))).usage.cache_creation.ephemeral_5m_input_tokens).toBe(1103);
    expect(
      await refused(native({ system: [{ type: "text", text: "x", cache_control: { type: "persistent" } }] })),
    ).toContain("system.0.cache_control.type: Input should be 'ephemeral'");
  });
});

describe("InvokeModelWithResponseStream", () => {
  it("streams thinking, text and tool_use in Anthropic's event sequence, with invocation metrics last", async () => {
    const state = freshState();
    state.scripted.push({
      reasoning: "let me see",
      text: "Calling it.",
      toolCalls: [{ name: "get_weather", input: { city: "Rome" } }],
    });
    const events = await streamed(
      state,
      native({ thinking: { type: "enabled", budget_tokens: 2048 }, tools: [WEATHER] }),
    );
    expect(events[0].type).toBe("message_start");
    expect(events[0].message).toMatchObject({ role: "assistant", model: "claude-sonnet-4-5-20250929", content: [] });
    const deltas = events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.type);
    expect(new Set(deltas)).toEqual(new Set(["thinking_delta", "signature_delta", "text_delta", "input_json_delta"]));
    const starts = events.filter((e) => e.type === "content_block_start").map((e) => e.content_block.type);
    expect(starts).toEqual(["thinking", "text", "tool_use"]);
    const json = events
      .filter((e) => e.delta?.type === "input_json_delta")
      .map((e) => e.delta.partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual({ city: "Rome" });
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
    expect(events.at(-1).type).toBe("message_stop");
    expect(events.at(-1)["amazon-bedrock-invocationMetrics"].outputTokenCount).toBe(events.at(-2).usage.output_tokens);
  });

  it("sends a redacted_thinking block whole in its start event", async () => {
    const state = freshState();
    state.scripted.push({ redactedReasoning: true, text: "done" });
    const events = await streamed(state, native({ thinking: { type: "enabled", budget_tokens: 2048 } }));
    const start = events.find((e) => e.type === "content_block_start");
    expect(start.content_block.type).toBe("redacted_thinking");
    expect(events.filter((e) => e.index === start.index).map((e) => e.type)).toEqual([
      "content_block_start",
      "content_block_stop",
    ]);
  });
});

describe("CountTokens matches what the call reports", () => {
  it("for Converse and InvokeModel inputs, cache tokens included", async () => {
    const state = freshState();
    const system = [{ type: "text", text: "c".repeat(4 * 1100), cache_control: { type: "ephemeral" } }];
    const body = native({ system, tools: [WEATHER] });
    const used = (await invoke(state, body)).usage;
    const encoded = Buffer.from(JSON.stringify(body)).toString("base64");
    const counted = await handleRuntime(
      call("CountTokens", SONNET_45, { input: { invokeModel: { body: encoded } } }),
      state,
    );
    const total = used.input_tokens + used.cache_creation_input_tokens + used.cache_read_input_tokens;
    expect(counted).toMatchObject({ body: { inputTokens: total } });
    const converseInput = {
      system: [{ text: "c".repeat(4 * 1100) }, { cachePoint: { type: "default" } }],
      messages: [userText("hello native")],
    };
    const viaConverse = await handleRuntime(call("Converse", SONNET_45, converseInput), state);
    const usage = (viaConverse as { body: { usage: Record<string, number> } }).body.usage;
    const countedConverse = await handleRuntime(
      call("CountTokens", SONNET_45, { input: { converse: converseInput } }),
      state,
    );
    expect(countedConverse).toMatchObject({
      body: {
        inputTokens: (usage.inputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0),
      },
    });
  });

  it("refuses what the call would refuse", async () => {
    const encoded = Buffer.from(JSON.stringify(native({ anthropic_beta: ["nope"] }))).toString("base64");
    const error = await refusal(
      handleRuntime(call("CountTokens", SONNET_45, { input: { invokeModel: { body: encoded } } }), freshState()),
    );
    expect(error.message).toBe("invalid beta flag");
  });
});
