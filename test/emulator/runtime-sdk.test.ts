/**
 * The runtime through the real transport: the unmodified AWS SDK (HTTP/2, SigV4, event streams) against
 * the shared emulator fixture on a loopback port.
 */
import {
  ApplyGuardrailCommand,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect } from "vitest";
import { test } from "../support/fixtures.js";
import { bedrockClient } from "./helpers.js";

const SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const CLAUDE_37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const TITAN = "amazon.titan-text-express-v1";

/** One SDK client for the file, signed with the built-in keys, no retries. */
const it = test.extend("client", { scope: "file" }, ({ emulator }, { onCleanup }) => {
  const client = bedrockClient(emulator);
  onCleanup(() => client.destroy());
  return client;
});

const user = (text: string) => ({ role: "user" as const, content: [{ text }] });

describe("runtime over the AWS SDK", () => {
  it("Converse answers the echo reply with usage", async ({ client }) => {
    const res = await client.send(new ConverseCommand({ modelId: SONNET_45, messages: [user("hello from the sdk")] }));
    expect(res.output?.message?.content).toEqual([{ text: "Echo: hello from the sdk" }]);
    expect(res.stopReason).toBe("end_turn");
    expect(res.usage).toMatchObject({ inputTokens: 8, outputTokens: 6, totalTokens: 14 });
  });

  it("Converse refuses an on-demand id of a profile-only model with Bedrock's message", async ({ client }) => {
    const error = await client
      .send(new ConverseCommand({ modelId: "anthropic.claude-3-7-sonnet-20250219-v1:0", messages: [user("x")] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toContain("with on-demand throughput isn’t supported");
  });

  it("ConverseStream delivers text deltas, a tool call and metadata", async ({ client, control }) => {
    await control.respond({
      text: "calling the tool now",
      toolCalls: [{ name: "lookup", input: { q: "weather in Paris" } }],
    });
    const res = await client.send(
      new ConverseStreamCommand({
        modelId: SONNET_45,
        messages: [user("stream please")],
        toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] },
      }),
    );
    let text = "";
    let toolInput = "";
    let stopReason: string | undefined;
    let outputTokens: number | undefined;
    for await (const event of res.stream ?? []) {
      text += event.contentBlockDelta?.delta?.text ?? "";
      toolInput += event.contentBlockDelta?.delta?.toolUse?.input ?? "";
      stopReason = event.messageStop?.stopReason ?? stopReason;
      outputTokens = event.metadata?.usage?.outputTokens ?? outputTokens;
    }
    expect(text).toBe("calling the tool now");
    expect(JSON.parse(toolInput)).toEqual({ q: "weather in Paris" });
    expect(stopReason).toBe("tool_use");
    expect(outputTokens).toBeGreaterThan(0);
  });

  it("ConverseStream refuses a bad request with an HTTP error before any event", async ({ client }) => {
    const error = await client
      .send(
        new ConverseStreamCommand({ modelId: SONNET_45, messages: [{ role: "assistant", content: [{ text: "hi" }] }] }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    expect((error as Error).message).toBe(
      "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
    );
  });

  it("caches a prefix across calls", async ({ client }) => {
    const system = [{ text: "s".repeat(4 * 1100) }, { cachePoint: { type: "default" as const } }];
    const first = await client.send(new ConverseCommand({ modelId: SONNET_45, system, messages: [user("one")] }));
    const second = await client.send(new ConverseCommand({ modelId: SONNET_45, system, messages: [user("two")] }));
    expect(first.usage?.cacheWriteInputTokens).toBe(1100);
    expect(second.usage?.cacheReadInputTokens).toBe(1100);
    expect(second.usage?.cacheWriteInputTokens).toBe(0);
  });

  it("round-trips a signed reasoning block through the SDK in a tool loop", async ({ client, control }) => {
    await control.respond({ toolCalls: [{ name: "lookup", input: {} }] });
    const toolConfig = { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] };
    const thinking = { thinking: { type: "enabled", budget_tokens: 1024 } };
    const first = await client.send(
      new ConverseCommand({
        modelId: CLAUDE_37,
        messages: [user("think")],
        toolConfig,
        additionalModelRequestFields: thinking,
      }),
    );
    const content = first.output?.message?.content ?? [];
    expect(content[0]?.reasoningContent?.reasoningText?.signature).toBeTruthy();
    const toolUseId = content.find((b) => b.toolUse)?.toolUse?.toolUseId;
    const second = await client.send(
      new ConverseCommand({
        modelId: CLAUDE_37,
        toolConfig,
        additionalModelRequestFields: thinking,
        messages: [
          user("think"),
          { role: "assistant", content },
          { role: "user", content: [{ toolResult: { toolUseId, content: [{ text: "done" }] } }] },
        ],
      }),
    );
    expect(second.output?.message?.content?.at(-1)?.text).toBe('Tool results received: result "done".');
  });

  it("InvokeModel answers the Anthropic body, with token headers surfaced by the SDK", async ({ client }) => {
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 100,
      messages: [{ role: "user", content: "native hello" }],
    };
    const res = await client.send(
      new InvokeModelCommand({ modelId: CLAUDE_37, body: JSON.stringify(body), contentType: "application/json" }),
    );
    const json = JSON.parse(new TextDecoder().decode(res.body));
    expect(json.content).toEqual([{ type: "text", text: "Echo: native hello" }]);
    expect(json.usage.input_tokens).toBe(6);
  });

  it("InvokeModelWithResponseStream delivers Anthropic events with thinking", async ({ client }) => {
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 4000,
      thinking: { type: "enabled", budget_tokens: 2000 },
      messages: [{ role: "user", content: "stream with thinking" }],
    };
    const res = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE_37, body: JSON.stringify(body) }),
    );
    const types: string[] = [];
    let thinking = "";
    let text = "";
    for await (const event of res.body ?? []) {
      const data = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
      types.push(data.type);
      thinking += data.delta?.thinking ?? "";
      text += data.delta?.text ?? "";
    }
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    expect(thinking).toBe("Considering the request: stream with thinking");
    expect(text).toBe("Echo: stream with thinking");
  });

  it("InvokeModelWithResponseStream delivers Titan chunks", async ({ client }) => {
    const body = { inputText: "stream titan text please", textGenerationConfig: { maxTokenCount: 50 } };
    const res = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: TITAN, body: JSON.stringify(body) }),
    );
    let text = "";
    let reason: string | undefined;
    for await (const event of res.body ?? []) {
      const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
      text += chunk.outputText;
      reason = chunk.completionReason ?? reason;
    }
    expect(text).toBe("Echo: stream titan text please");
    expect(reason).toBe("FINISH");
  });

  it("CountTokens counts a Converse input and an InvokeModel body", async ({ client }) => {
    const converse = await client.send(
      new CountTokensCommand({
        modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
        input: { converse: { messages: [user("count me")] } },
      }),
    );
    expect(converse.inputTokens).toBe(5);
    const native = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      messages: [{ role: "user", content: "count me" }],
    };
    const invoke = await client.send(
      new CountTokensCommand({
        modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
        input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(native)) } },
      }),
    );
    expect(invoke.inputTokens).toBe(5);
  });

  it("applies a guardrail from the control API in Converse and ApplyGuardrail", async ({ client, control }) => {
    await control.guardrail({
      id: "sdkguard",
      version: "1",
      blockedWords: ["forbidden"],
      blockedMessage: "Not allowed.",
    });
    const blocked = await client.send(
      new ConverseCommand({
        modelId: SONNET_45,
        messages: [user("say the FORBIDDEN word")],
        guardrailConfig: { guardrailIdentifier: "sdkguard", guardrailVersion: "1", trace: "enabled" },
      }),
    );
    expect(blocked.stopReason).toBe("guardrail_intervened");
    expect(blocked.output?.message?.content).toEqual([{ text: "Not allowed." }]);
    expect(blocked.trace?.guardrail?.inputAssessment?.sdkguard?.wordPolicy?.customWords?.[0]?.match).toBe("forbidden");
    const applied = await client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: "sdkguard",
        guardrailVersion: "1",
        source: "INPUT",
        content: [{ text: { text: "nothing forbidden here" } }],
      }),
    );
    expect(applied.action).toBe("GUARDRAIL_INTERVENED");
    expect(applied.outputs).toEqual([{ text: "Not allowed." }]);
  });
});
