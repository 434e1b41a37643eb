import { describe, expect, it } from "vitest";
import { handleRuntime } from "../../src/emulator/runtime/index.js";
import {
  CLAUDE_37,
  call,
  converse,
  converseError,
  freshState,
  refusal,
  SONNET_45,
  TITAN,
  userText,
} from "./runtime-helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
async function json(result: Promise<unknown>): Promise<{ body: any; headers: Record<string, string> }> {
  const r = (await result) as { kind: string; body: unknown; headers?: Record<string, string> };
  if (r.kind !== "json") throw new Error("expected JSON");
  return { body: r.body, headers: r.headers ?? {} };
}

// biome-ignore lint/suspicious/noExplicitAny: decoded chunk payloads are loosely typed.
async function chunks(result: Promise<unknown>): Promise<any[]> {
  const r = (await result) as { kind: string; events: Iterable<{ eventType: string; payload: { bytes: string } }> };
  if (r.kind !== "stream") throw new Error("expected a stream");
  return [...r.events].map((e) => {
    expect(e.eventType).toBe("chunk");
    return JSON.parse(Buffer.from(e.payload.bytes, "base64").toString("utf8"));
  });
}

const anthropicBody = {
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 200,
  system: "be brief",
  messages: [{ role: "user", content: "hello native world" }],
};

describe("InvokeModel with the Anthropic Messages body", () => {
  it("answers Anthropic's message JSON with Bedrock's token headers", async () => {
    const { body, headers } = await json(handleRuntime(call("InvokeModel", CLAUDE_37, anthropicBody), freshState()));
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-3-7-sonnet-20250219",
      content: [{ type: "text", text: "Echo: hello native world" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(body.id).toMatch(/^msg_bdrk_/);
    expect(headers["x-amzn-bedrock-input-token-count"]).toBe(String(body.usage.input_tokens));
    expect(headers["x-amzn-bedrock-output-token-count"]).toBe(String(body.usage.output_tokens));
  });

  it("maps tools, tool_use ids and cache_control", async () => {
    const state = freshState();
    state.scripted.push({ toolCalls: [{ name: "f", input: { a: 1 } }] });
    const { body } = await json(
      handleRuntime(
        call("InvokeModel", CLAUDE_37, {
          ...anthropicBody,
          tools: [{ name: "f", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }],
        }),
        state,
      ),
    );
    expect(body.stop_reason).toBe("tool_use");
    expect(body.content[0]).toMatchObject({ type: "tool_use", name: "f", input: { a: 1 } });
    expect(body.content[0].id).toMatch(/^toolu_bdrk_/);
  });

  it("refuses a body without anthropic_version or max_tokens", async () => {
    const { max_tokens: _m, ...noMax } = anthropicBody;
    const error = await refusal(handleRuntime(call("InvokeModel", CLAUDE_37, noMax), freshState()));
    expect(error.message).toBe(
      "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.",
    );
    const { anthropic_version: _v, ...noVersion } = anthropicBody;
    expect((await refusal(handleRuntime(call("InvokeModel", CLAUDE_37, noVersion), freshState()))).message).toContain(
      "required key [anthropic_version] not found",
    );
  });

  it("streams Anthropic SSE events as chunks", async () => {
    const events = await chunks(
      handleRuntime(call("InvokeModelWithResponseStream", CLAUDE_37, anthropicBody), freshState()),
    );
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.text);
    expect(text.join("")).toBe("Echo: hello native world");
    expect(events.at(-2).delta.stop_reason).toBe("end_turn");
    expect(events.at(-1)["amazon-bedrock-invocationMetrics"].outputTokenCount).toBe(events.at(-2).usage.output_tokens);
  });
});

describe("InvokeModel with the Titan Text body", () => {
  const titanBody = {
    inputText: "tell me about titans",
    textGenerationConfig: { maxTokenCount: 100, stopSequences: ["User:"] },
  };

  it("answers results with a completion reason", async () => {
    const { body } = await json(handleRuntime(call("InvokeModel", TITAN, titanBody), freshState()));
    expect(body).toEqual({
      inputTextTokenCount: 8,
      results: [{ tokenCount: 7, outputText: "Echo: tell me about titans", completionReason: "FINISH" }],
    });
    const short = await json(
      handleRuntime(
        call("InvokeModel", TITAN, { inputText: "tell me about titans", textGenerationConfig: { maxTokenCount: 2 } }),
        freshState(),
      ),
    );
    expect(short.body.results[0].completionReason).toBe("LENGTH");
  });

  it("refuses unknown keys and too many tokens", async () => {
    expect((await refusal(handleRuntime(call("InvokeModel", TITAN, { prompt: "x" }), freshState()))).message).toBe(
      "Malformed input request: #: extraneous key [prompt] is not permitted, please reformat your input and try again.",
    );
    const big = { inputText: "x", textGenerationConfig: { maxTokenCount: 9000 } };
    expect((await refusal(handleRuntime(call("InvokeModel", TITAN, big), freshState()))).message).toContain(
      "#/textGenerationConfig/maxTokenCount: 9000 is not less or equal to 8192",
    );
  });

  it("streams chunks with the counts on the first and last", async () => {
    const events = await chunks(handleRuntime(call("InvokeModelWithResponseStream", TITAN, titanBody), freshState()));
    expect(events.map((e) => e.outputText).join("")).toBe("Echo: tell me about titans");
    expect(events[0].inputTextTokenCount).toBe(8);
    expect(events.at(-1)).toMatchObject({ completionReason: "FINISH", totalOutputTextTokenCount: 7 });
  });
});

describe("CountTokens", () => {
  it("counts a Converse input and an InvokeModel body by the same rule as usage", async () => {
    const state = freshState();
    const converseInput = { messages: [userText("count these words please")], system: [{ text: "sys" }] };
    const counted = await json(
      handleRuntime(call("CountTokens", SONNET_45, { input: { converse: converseInput } }), state),
    );
    const used = await converse(state, SONNET_45, converseInput);
    expect(counted.body).toEqual({ inputTokens: used.usage.inputTokens });
    const encoded = Buffer.from(JSON.stringify(anthropicBody)).toString("base64");
    const native = await json(
      handleRuntime(call("CountTokens", CLAUDE_37, { input: { invokeModel: { body: encoded } } }), state),
    );
    // "be brief" 2 + message 3 + "hello native world" 5
    expect(native.body).toEqual({ inputTokens: 10 });
  });
});

describe("guardrails", () => {
  function guarded(trace?: string) {
    const state = freshState();
    state.guardrails.set("g1:DRAFT", {
      id: "g1",
      version: "DRAFT",
      blockedWords: ["Secret"],
      blockedMessage: "Blocked by policy.",
    });
    const guardrailConfig = { guardrailIdentifier: "g1", guardrailVersion: "DRAFT", ...(trace ? { trace } : {}) };
    return { state, guardrailConfig };
  }

  it("intervenes on a blocked word in the input, with a trace when asked", async () => {
    const { state, guardrailConfig } = guarded("enabled");
    const res = await converse(state, SONNET_45, { messages: [userText("tell me the SECRET")], guardrailConfig });
    expect(res.stopReason).toBe("guardrail_intervened");
    expect(res.output.message.content).toEqual([{ text: "Blocked by policy." }]);
    expect(res.trace.guardrail.inputAssessment.g1.wordPolicy.customWords).toEqual([
      { match: "Secret", action: "BLOCKED", detected: true },
    ]);
    expect(res.usage.outputTokens).toBe(Math.ceil("Blocked by policy.".length / 4));
  });

  it("intervenes on a blocked word in the output, and lets clean traffic through without a trace", async () => {
    const { state, guardrailConfig } = guarded("enabled");
    state.scripted.push({ text: "the secret is 42" });
    const res = await converse(state, SONNET_45, { messages: [userText("hi")], guardrailConfig });
    expect(res.stopReason).toBe("guardrail_intervened");
    expect(res.trace.guardrail.outputAssessments.g1[0].wordPolicy.customWords[0].match).toBe("Secret");
    const quiet = guarded();
    const clean = await converse(quiet.state, SONNET_45, {
      messages: [userText("hi")],
      guardrailConfig: quiet.guardrailConfig,
    });
    expect(clean.stopReason).toBe("end_turn");
    expect(clean.trace).toBeUndefined();
  });

  it("refuses an unknown guardrail", async () => {
    const error = await converseError(freshState(), SONNET_45, {
      messages: [userText("hi")],
      guardrailConfig: { guardrailIdentifier: "nope", guardrailVersion: "1" },
    });
    expect(error.message).toBe("The provided guardrail identifier is invalid.");
  });

  it("ApplyGuardrail reports NONE or GUARDRAIL_INTERVENED with assessments", async () => {
    const { state } = guarded();
    const apply = (text: string) => {
      const c = call("ApplyGuardrail", undefined, { source: "OUTPUT", content: [{ text: { text } }] });
      return json(handleRuntime({ ...c, guardrailIdentifier: "g1", guardrailVersion: "DRAFT" }, state));
    };
    const clean = await apply("all good");
    expect(clean.body).toMatchObject({ action: "NONE", outputs: [] });
    const blocked = await apply("a secret");
    expect(blocked.body).toMatchObject({ action: "GUARDRAIL_INTERVENED", outputs: [{ text: "Blocked by policy." }] });
    expect(blocked.body.assessments[0].wordPolicy.customWords[0]).toEqual({
      match: "Secret",
      action: "BLOCKED",
      detected: true,
    });
    const missing = call("ApplyGuardrail", undefined, { source: "INPUT", content: [{ text: { text: "x" } }] });
    const error = await refusal(handleRuntime({ ...missing, guardrailIdentifier: "zz", guardrailVersion: "1" }, state));
    expect(error.errorName).toBe("ResourceNotFoundException");
    expect(error.status).toBe(404);
  });
});

describe("InvokeModel with Nova, Llama and Mistral bodies", () => {
  it("Nova messages-v1 answers Converse-like output with snake_case sampling honoured", async () => {
    const body = {
      schemaVersion: "messages-v1",
      system: [{ text: "be kind" }],
      messages: [{ role: "user", content: [{ text: "hello nova model" }] }],
      inferenceConfig: { max_new_tokens: 3 },
    };
    const { body: res } = await json(handleRuntime(call("InvokeModel", "amazon.nova-lite-v1:0", body), freshState()));
    expect(res.output.message.content).toEqual([{ text: "Echo: hello " }]);
    expect(res.stopReason).toBe("max_tokens");
    expect(res.usage).toMatchObject({ outputTokens: 3, cacheReadInputTokenCount: 0 });
    const events = await chunks(
      handleRuntime(call("InvokeModelWithResponseStream", "amazon.nova-lite-v1:0", body), freshState()),
    );
    expect(events[0]).toEqual({ messageStart: { role: "assistant" } });
    expect(
      events
        .filter((e) => e.contentBlockDelta)
        .map((e) => e.contentBlockDelta.delta.text)
        .join(""),
    ).toBe("Echo: hello ");
    expect(events.at(-1).metadata.usage.outputTokens).toBe(3);
  });

  it("Llama answers a generation with the chat template stripped", async () => {
    const prompt =
      "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhello llama<|eot_id|><|start_header_id|>assistant<|end_header_id|>";
    const { body } = await json(
      handleRuntime(call("InvokeModel", "meta.llama3-1-8b-instruct-v1:0", { prompt, max_gen_len: 50 }), freshState()),
    );
    expect(body).toMatchObject({ generation: "Echo: hello llama", stop_reason: "stop", generation_token_count: 5 });
    const stream = await chunks(
      handleRuntime(call("InvokeModelWithResponseStream", "meta.llama3-1-8b-instruct-v1:0", { prompt }), freshState()),
    );
    expect(stream.map((c) => c.generation).join("")).toBe("Echo: hello llama");
    expect(stream.at(-1).stop_reason).toBe("stop");
  });

  it("Mistral answers outputs and refuses unknown keys", async () => {
    const model = "mistral.mistral-large-2402-v1:0";
    const { body } = await json(
      handleRuntime(
        call("InvokeModel", model, { prompt: "<s>[INST] hi mistral [/INST]", max_tokens: 1 }),
        freshState(),
      ),
    );
    expect(body).toEqual({ outputs: [{ text: "Echo", stop_reason: "length" }] });
    expect(
      (await refusal(handleRuntime(call("InvokeModel", model, { inputText: "x" }), freshState()))).message,
    ).toContain("extraneous key [inputText] is not permitted");
  });
});
