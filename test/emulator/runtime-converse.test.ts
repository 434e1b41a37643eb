import { describe, expect, it } from "vitest";
import { createApplicationProfile } from "../../src/emulator/runtime/inference-profiles.js";
import {
  converse,
  converseError,
  freshState,
  HAIKU_3,
  payloadsOf,
  SONNET_45,
  streamEvents,
  TITAN,
  userText,
} from "./runtime-helpers.js";

describe("Converse: deterministic reply", () => {
  it("echoes the first 12 words of the last user text with usage by the documented rule", async () => {
    const state = freshState();
    const text = "one two three four five six seven eight nine ten eleven twelve thirteen";
    const res = await converse(state, SONNET_45, { messages: [userText(text)] });
    expect(res.output.message).toEqual({
      role: "assistant",
      content: [{ text: "Echo: one two three four five six seven eight nine ten eleven twelve" }],
    });
    expect(res.stopReason).toBe("end_turn");
    // input: 3 (message framing) + ceil(71 chars / 4) = 21; output: ceil(68 chars / 4) = 17
    expect(res.usage).toEqual({
      inputTokens: 21,
      outputTokens: 17,
      totalTokens: 38,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    });
    expect(res.metrics.latencyMs).toBeGreaterThan(0);
  });

  it("serves Titan and Claude on-demand ids", async () => {
    const state = freshState();
    expect((await converse(state, TITAN, { messages: [userText("hello titan")] })).output.message.content[0].text).toBe(
      "Echo: hello titan",
    );
    expect((await converse(state, HAIKU_3, { messages: [userText("hi")] })).stopReason).toBe("end_turn");
  });

  it("honours stop sequences and maxTokens", async () => {
    const state = freshState();
    const stopped = await converse(state, SONNET_45, {
      messages: [userText("alpha beta STOP gamma")],
      inferenceConfig: { stopSequences: ["STOP"] },
    });
    expect(stopped.stopReason).toBe("stop_sequence");
    expect(stopped.output.message.content).toEqual([{ text: "Echo: alpha beta " }]);
    const cut = await converse(state, SONNET_45, {
      messages: [userText("alpha beta gamma delta epsilon zeta")],
      inferenceConfig: { maxTokens: 2 },
    });
    expect(cut.stopReason).toBe("max_tokens");
    expect(cut.output.message.content).toEqual([{ text: "Echo: al" }]);
    expect(cut.usage.outputTokens).toBe(2);
  });

  it("consumes scripted replies in order, with tool calls and model binding", async () => {
    const state = freshState();
    state.scripted.push(
      { text: "for titan only", modelId: TITAN },
      { text: "Let me look.", toolCalls: [{ name: "get_weather", input: { city: "Paris" } }] },
    );
    const tools = { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object" } } } }] };
    const res = await converse(state, SONNET_45, { messages: [userText("weather?")], toolConfig: tools });
    expect(res.stopReason).toBe("tool_use");
    const [text, toolUse] = res.output.message.content;
    expect(text).toEqual({ text: "Let me look." });
    expect(toolUse.toolUse.name).toBe("get_weather");
    expect(toolUse.toolUse.input).toEqual({ city: "Paris" });
    expect(toolUse.toolUse.toolUseId).toMatch(/^tooluse_/);
    expect(state.scripted).toHaveLength(1);

    const followUp = await converse(state, SONNET_45, {
      toolConfig: tools,
      messages: [
        userText("weather?"),
        { role: "assistant", content: res.output.message.content },
        {
          role: "user",
          content: [{ toolResult: { toolUseId: toolUse.toolUse.toolUseId, content: [{ text: "sunny, 21 C" }] } }],
        },
      ],
    });
    expect(followUp.output.message.content[0].text).toBe('Tool results received: result "sunny, 21 C".');
    expect((await converse(state, TITAN, { messages: [userText("x")] })).output.message.content[0].text).toBe(
      "for titan only",
    );
  });

  it("calls the forced tool with input generated from its schema", async () => {
    const state = freshState();
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer", minimum: 3 } },
      required: ["city", "days"],
    };
    const res = await converse(state, SONNET_45, {
      messages: [userText("forecast")],
      toolConfig: {
        tools: [{ toolSpec: { name: "forecast", inputSchema: { json: schema } } }],
        toolChoice: { tool: { name: "forecast" } },
      },
    });
    expect(res.stopReason).toBe("tool_use");
    expect(res.output.message.content[0].toolUse.input).toEqual({ city: "example", days: 3 });
  });

  it("echoes serviceTier and performanceConfig", async () => {
    const res = await converse(freshState(), SONNET_45, {
      messages: [userText("hi")],
      serviceTier: { type: "priority" },
      performanceConfig: { latency: "optimized" },
    });
    expect(res.serviceTier).toEqual({ type: "priority" });
    expect(res.performanceConfig).toEqual({ latency: "optimized" });
  });
});

describe("ConverseStream", () => {
  it("emits the reply as Bedrock's event sequence, text split into deltas", async () => {
    const state = freshState();
    state.scripted.push({
      text: "one two three four five six seven",
      toolCalls: [{ name: "f", input: { a: "bcdefghijklmnopqrstuvwxyz" } }],
    });
    const events = await streamEvents(state, SONNET_45, {
      messages: [userText("go")],
      toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } }] },
    });
    const types = events.map((e) => (e.type === "event" ? e.eventType : e.exceptionType));
    expect(types[0]).toBe("messageStart");
    expect(types.slice(-2)).toEqual(["messageStop", "metadata"]);
    const payloads = payloadsOf(events);
    const textDeltas = payloads.filter((p) => p.contentBlockIndex === 0 && p.delta?.text).map((p) => p.delta.text);
    expect(textDeltas.length).toBeGreaterThan(1);
    expect(textDeltas.join("")).toBe("one two three four five six seven");
    const start = payloads.find((p) => p.start);
    expect(start).toMatchObject({ contentBlockIndex: 1, start: { toolUse: { name: "f" } } });
    const fragments = payloads.filter((p) => p.delta?.toolUse).map((p) => p.delta.toolUse.input);
    expect(fragments.length).toBeGreaterThan(1);
    expect(JSON.parse(fragments.join(""))).toEqual({ a: "bcdefghijklmnopqrstuvwxyz" });
    expect(payloads.at(-2)).toEqual({ stopReason: "tool_use" });
    expect(payloads.at(-1)?.usage.outputTokens).toBeGreaterThan(0);
  });
});

describe("Converse: validation", () => {
  const cases: [string, string | undefined, unknown, string][] = [
    ["unknown model", "anthropic.claude-9", { messages: [userText("x")] }, "The provided model identifier is invalid."],
    [
      "on-demand id of a profile-only model",
      "anthropic.claude-3-7-sonnet-20250219-v1:0",
      { messages: [userText("x")] },
      "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    ],
    [
      "no messages",
      SONNET_45,
      { messages: [] },
      "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
    ],
    [
      "assistant first",
      SONNET_45,
      { messages: [{ role: "assistant", content: [{ text: "hi" }] }] },
      "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
    ],
    [
      "roles not alternating",
      SONNET_45,
      { messages: [userText("a"), userText("b")] },
      "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
    ],
    [
      "blank text",
      SONNET_45,
      { messages: [userText("a"), { role: "assistant", content: [{ text: " \n" }] }, userText("b")] },
      "The text field in the ContentBlock object at messages.1.content.0 is blank. Add text to the text field, and try again.",
    ],
    [
      "tools to Titan",
      TITAN,
      { messages: [userText("a")], toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] } },
      "This model doesn't support tool use.",
    ],
    [
      "system prompt to Titan",
      TITAN,
      { messages: [userText("a")], system: [{ text: "be brief" }] },
      "This model doesn't support system messages.",
    ],
    [
      "temperature above 1",
      SONNET_45,
      { messages: [userText("a")], inferenceConfig: { temperature: 1.5 } },
      "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
    ],
    [
      "maxTokens above the model's limit",
      HAIKU_3,
      { messages: [userText("a")], inferenceConfig: { maxTokens: 5000 } },
      "The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.",
    ],
    [
      "toolResult without toolUse",
      SONNET_45,
      {
        messages: [
          userText("a"),
          { role: "assistant", content: [{ text: "ok" }] },
          { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "r" }] } }] },
        ],
        toolConfig: { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] },
      },
      "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.",
    ],
    [
      "tool blocks without toolConfig",
      SONNET_45,
      {
        messages: [
          userText("a"),
          { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "f", input: {} } }] },
          { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "r" }] } }] },
        ],
      },
      "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
    ],
  ];
  it.each(cases)("refuses %s", async (_name, modelId, body, message) => {
    const error = await converseError(freshState(), modelId, body);
    expect(error.errorName).toBe("ValidationException");
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
  });

  it("refuses an empty toolResult content and a bad document name", async () => {
    const tools = { tools: [{ toolSpec: { name: "f", inputSchema: { json: {} } } }] };
    const empty = await converseError(freshState(), SONNET_45, {
      toolConfig: tools,
      messages: [
        userText("a"),
        { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "f", input: {} } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [] } }] },
      ],
    });
    expect(empty.message).toContain("messages.2.content.0.toolResult is empty");
    const doc = await converseError(freshState(), SONNET_45, {
      messages: [
        {
          role: "user",
          content: [{ text: "read" }, { document: { format: "txt", name: "a.txt", source: { bytes: "aGk=" } } }],
        },
      ],
    });
    // Bedrock's recorded wording (bedrock-fixtures: amazon-bedrock-invalid-document-filenames.json).
    expect(doc.message).toBe(
      "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.",
    );
  });

  it("accepts profile ids only in their geography, and ARNs", async () => {
    const eu = await converseError(freshState(), SONNET_45, { messages: [userText("x")] }, "eu-west-1");
    expect(eu.message).toBe("The provided model identifier is invalid.");
    const ok = await converse(
      freshState(),
      "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
      { messages: [userText("x")] },
      "eu-west-1",
    );
    expect(ok.stopReason).toBe("end_turn");
    const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    expect((await converse(freshState(), arn, { messages: [userText("x")] })).stopReason).toBe("end_turn");
    // An application profile serves once created (the control API's POST /_emulator/inference-profiles).
    const state = freshState();
    const created = createApplicationProfile(state, {
      name: "team-a",
      copyFrom: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      region: "us-east-1",
      accountId: "123456789012",
    });
    const app = created.profile.inferenceProfileArn;
    expect((await converse(state, app, { messages: [userText("x")] })).stopReason).toBe("end_turn");
    const elsewhere = await converseError(freshState(), arn.replace("us-east-1", "us-west-2"), {
      messages: [userText("x")],
    });
    expect(elsewhere.message).toBe("The provided model identifier is invalid.");
    const fm = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1";
    expect((await converse(freshState(), fm, { messages: [userText("x")] })).stopReason).toBe("end_turn");
  });
});
