import { describe, expect, it } from "vitest";
import {
  converse,
  converseError,
  freshState,
  HAIKU_3,
  payloadsOf,
  SONNET_45,
  streamEvents,
  userText,
} from "./runtime-helpers.js";

const OPUS_46 = "global.anthropic.claude-opus-4-6-v1";
const OPUS_47 = "us.anthropic.claude-opus-4-7";
const SONNET_5 = "us.anthropic.claude-sonnet-5";
const TOOLS = { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] };

function withThinking(thinking: unknown, extra: Record<string, unknown> = {}) {
  return { messages: [userText("think about this")], additionalModelRequestFields: { thinking }, ...extra };
}

describe("thinking per model generation", () => {
  it("manual models accept enabled + budget and reply with a signed reasoning block first", async () => {
    const res = await converse(
      freshState(),
      SONNET_45,
      withThinking({ type: "enabled", budget_tokens: 2048 }, { inferenceConfig: { maxTokens: 4096 } }),
    );
    const [reasoning, text] = res.output.message.content;
    expect(reasoning.reasoningContent.reasoningText.text).toBe("Considering the request: think about this");
    expect(reasoning.reasoningContent.reasoningText.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(text).toEqual({ text: "Echo: think about this" });
  });

  it.each([
    [
      SONNET_45,
      { type: "enabled", budget_tokens: 512 },
      "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    ],
    [SONNET_45, { type: "enabled", budget_tokens: 5000 }, "`max_tokens` must be greater than `thinking.budget_tokens`"],
    [
      SONNET_45,
      { type: "adaptive" },
      "Input tag 'adaptive' found using 'type' does not match any of the expected tags",
    ],
    [HAIKU_3, { type: "enabled", budget_tokens: 2048 }, "thinking: Extra inputs are not permitted"],
    [OPUS_47, { type: "enabled", budget_tokens: 2048 }, '"thinking.type.enabled" is not supported for this model.'],
    [SONNET_5, { type: "disabled" }, '"thinking.type.disabled" is not supported for this model.'],
  ])("%s refuses thinking %j", async (model, thinking, message) => {
    const error = await converseError(
      freshState(),
      model,
      withThinking(thinking, { inferenceConfig: { maxTokens: 4096 } }),
    );
    expect(error.errorName).toBe("ValidationException");
    expect(error.message).toContain(message);
  });

  it("adaptive models accept adaptive and manual; adaptive-only models accept adaptive", async () => {
    for (const [model, thinking] of [
      [OPUS_46, { type: "adaptive" }],
      [OPUS_46, { type: "enabled", budget_tokens: 2048 }],
      [OPUS_47, { type: "adaptive" }],
      [SONNET_5, { type: "adaptive" }],
    ] as const) {
      const res = await converse(freshState(), model, withThinking(thinking, { outputConfig: { effort: "high" } }));
      expect(res.output.message.content[0].reasoningContent).toBeDefined();
    }
  });

  it("checks effort levels and the settings thinking forbids", async () => {
    const state = freshState();
    expect(
      (await converseError(state, SONNET_45, { messages: [userText("q")], outputConfig: { effort: "low" } })).message,
    ).toBe("This model doesn't support the outputConfig.effort field. Remove outputConfig.effort and try again.");
    expect(
      (await converseError(state, OPUS_46, { messages: [userText("q")], outputConfig: { effort: "max" } })).message,
    ).toContain("requires thinking to be enabled");
    expect(
      (await converseError(state, OPUS_46, { messages: [userText("q")], outputConfig: { effort: "extreme" } })).message,
    ).toContain("Member must satisfy enum value set: [low, medium, high, xhigh, max]");
    const adaptive = { type: "adaptive" };
    expect(
      (await converseError(state, OPUS_46, withThinking(adaptive, { inferenceConfig: { temperature: 0.2 } }))).message,
    ).toContain("`temperature` may only be set to 1 when thinking is enabled");
    expect(
      (await converseError(state, OPUS_46, withThinking(adaptive, { inferenceConfig: { topP: 0.5 } }))).message,
    ).toContain("`top_p`");
    expect(
      (
        await converseError(
          state,
          OPUS_46,
          withThinking(adaptive, { toolConfig: { ...TOOLS, toolChoice: { any: {} } } }),
        )
      ).message,
    ).toContain("Thinking may not be enabled when tool_choice forces tool use.");
  });
});

describe("reasoning signatures in tool-use loops", () => {
  async function firstTurn() {
    const state = freshState();
    state.scripted.push({ toolCalls: [{ name: "lookup", input: { q: "x" } }] });
    const res = await converse(
      state,
      SONNET_45,
      withThinking({ type: "enabled", budget_tokens: 1024 }, { toolConfig: TOOLS }),
    );
    return { state, assistant: res.output.message };
  }

  function followUp(assistantContent: unknown[]) {
    const toolUse = (
      assistantContent.find((b) => (b as { toolUse?: unknown }).toolUse) as { toolUse: { toolUseId: string } }
    ).toolUse;
    return withThinking(
      { type: "enabled", budget_tokens: 1024 },
      {
        toolConfig: TOOLS,
        messages: [
          userText("think about this"),
          { role: "assistant", content: assistantContent },
          { role: "user", content: [{ toolResult: { toolUseId: toolUse.toolUseId, content: [{ text: "found" }] } }] },
        ],
      },
    );
  }

  it("accepts the reasoning block sent back unchanged", async () => {
    const { state, assistant } = await firstTurn();
    expect(assistant.content[0].reasoningContent).toBeDefined();
    const res = await converse(state, SONNET_45, followUp(assistant.content));
    expect(res.output.message.content.at(-1)).toEqual({ text: 'Tool results received: result "found".' });
  });

  it("refuses a tampered or missing signature, and a tool turn without its reasoning block", async () => {
    const { state, assistant } = await firstTurn();
    const [reasoning, ...rest] = assistant.content;
    const tampered = structuredClone(reasoning);
    tampered.reasoningContent.reasoningText.text += " (edited)";
    expect((await converseError(state, SONNET_45, followUp([tampered, ...rest]))).message).toBe(
      "The model returned the following errors: messages.1.content.0: Invalid `signature` in `thinking` block",
    );
    const unsigned = structuredClone(reasoning);
    delete unsigned.reasoningContent.reasoningText.signature;
    expect((await converseError(state, SONNET_45, followUp([unsigned, ...rest]))).message).toContain(
      "messages.1.content.0.thinking.signature: Field required",
    );
    expect((await converseError(state, SONNET_45, followUp(rest))).message).toContain(
      "Expected `thinking` or `redacted_thinking`, but found `tool_use`",
    );
  });

  it("streams reasoning as text deltas then a signature delta", async () => {
    const events = await streamEvents(freshState(), OPUS_47, withThinking({ type: "adaptive" }));
    const deltas = payloadsOf(events)
      .filter((p) => p.contentBlockIndex === 0 && p.delta?.reasoningContent)
      .map((p) => p.delta.reasoningContent);
    expect(
      deltas
        .slice(0, -1)
        .map((d: { text: string }) => d.text)
        .join(""),
    ).toBe("Considering the request: think about this");
    expect(deltas.at(-1).signature).toMatch(/=*$/);
  });
});

describe("structured output", () => {
  const schema = {
    type: "object",
    properties: {
      name: { type: "string" },
      age: { type: "integer", minimum: 18 },
      tags: { type: "array", items: { type: "string", enum: ["x", "y"] } },
      address: { $ref: "#/$defs/address" },
      nickname: { type: ["string", "null"] },
    },
    required: ["name", "age", "tags", "address"],
    $defs: {
      address: {
        type: "object",
        properties: { city: { type: "string" }, vip: { type: "boolean" } },
        required: ["city", "vip"],
      },
    },
  };

  it("replies with JSON that satisfies the schema", async () => {
    const res = await converse(freshState(), SONNET_45, {
      messages: [userText("who?")],
      outputConfig: {
        textFormat: {
          type: "json_schema",
          structure: { jsonSchema: { schema: JSON.stringify(schema), name: "person" } },
        },
      },
    });
    expect(JSON.parse(res.output.message.content[0].text)).toEqual({
      name: "example",
      age: 18,
      tags: ["x"],
      address: { city: "example", vip: true },
    });
  });

  it("also takes Anthropic's output_config.format passed through additionalModelRequestFields", async () => {
    const res = await converse(freshState(), SONNET_45, {
      messages: [userText("who?")],
      additionalModelRequestFields: {
        output_config: {
          format: { type: "json_schema", schema: { type: "object", properties: { ok: { type: "boolean" } } } },
        },
      },
    });
    expect(JSON.parse(res.output.message.content[0].text)).toEqual({ ok: true });
  });

  it("refuses invalid schema JSON and unsupported models", async () => {
    const bad = { type: "json_schema", structure: { jsonSchema: { schema: "{not json", name: "x" } } };
    expect(
      (await converseError(freshState(), SONNET_45, { messages: [userText("q")], outputConfig: { textFormat: bad } }))
        .message,
    ).toContain("isn't valid JSON");
    const good = { ...bad, structure: { jsonSchema: { schema: "{}", name: "x" } } };
    expect(
      (await converseError(freshState(), HAIKU_3, { messages: [userText("q")], outputConfig: { textFormat: good } }))
        .message,
    ).toBe(
      "This model doesn't support the outputConfig.textFormat field. Remove outputConfig.textFormat and try again.",
    );
  });
});
