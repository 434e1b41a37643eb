/** Converse output, stream events and errors -> OpenAI shapes and the error family: pure, no network. */
import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { classifyError } from "../../src/bedrock/errors.js";
import { buildConverseInput } from "../../src/bedrock/request.js";
import { toChatCompletion } from "../../src/bedrock/response.js";
import { StreamTranslator } from "../../src/bedrock/stream.js";
import { finishReason } from "../../src/bedrock/usage.js";
import { AccessDeniedError, ServiceError, ThrottlingError, ValidationError } from "../../src/errors.js";
import { backoffCeilingSeconds, retryDelayMs } from "../../src/llm/retry.js";
import { profileFor, SONNET_45 } from "./helpers.js";

describe("response", () => {
  it("maps text, tool calls, reasoning and usage (prompt tokens include cache reads and writes)", () => {
    const completion = toChatCompletion(
      {
        $metadata: {},
        output: {
          message: {
            role: "assistant",
            content: [
              { reasoningContent: { reasoningText: { text: "think", signature: "s1" } } },
              { text: "Let me check." },
              { toolUse: { toolUseId: "tu1", name: "f", input: { a: 1 } } },
            ],
          },
        },
        stopReason: "tool_use",
        usage: {
          inputTokens: 10,
          outputTokens: 5,
          totalTokens: 15,
          cacheReadInputTokens: 100,
          cacheWriteInputTokens: 20,
        },
        metrics: { latencyMs: 1 },
      },
      "chatcmpl-1",
      "m",
    );
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message).toEqual({
      role: "assistant",
      content: "Let me check.",
      refusal: null,
      tool_calls: [{ id: "tu1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
      reasoning_content: "think",
      thinking_blocks: [{ type: "thinking", thinking: "think", signature: "s1" }],
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 130,
      completion_tokens: 5,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
    });
  });

  it("round-trips redacted thinking as base64 data", () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const message = toChatCompletion(
      {
        $metadata: {},
        output: { message: { role: "assistant", content: [{ reasoningContent: { redactedContent: bytes } }] } },
        stopReason: "end_turn",
        usage: undefined,
        metrics: undefined,
      },
      "id",
      "m",
    ).choices[0]?.message;
    expect(message?.thinking_blocks).toEqual([{ type: "redacted_thinking", data: "AQID+g==" }]);
    const input = buildConverseInput(
      {
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", content: "y", thinking_blocks: message?.thinking_blocks },
        ],
      },
      profileFor(SONNET_45),
      false,
      () => {},
    );
    expect(Array.from(input.messages?.[1]?.content?.[0]?.reasoningContent?.redactedContent ?? [])).toEqual([
      1, 2, 3, 250,
    ]);
  });

  it("maps every stop reason", () => {
    expect(
      ["end_turn", "stop_sequence", "tool_use", "max_tokens", "model_context_window_exceeded"].map(finishReason),
    ).toEqual(["stop", "stop", "tool_calls", "length", "length"]);
    expect(["guardrail_intervened", "content_filtered"].map(finishReason)).toEqual([
      "content_filter",
      "content_filter",
    ]);
  });
});

describe("stream", () => {
  it("emits role first, text, reasoning, tool-call deltas with index/id/name then arguments, and usage last", () => {
    const t = new StreamTranslator("id1", "m");
    const events: ConverseStreamOutput[] = [
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: "hm" } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: "sig" } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { text: "Hi" } } },
      { contentBlockStart: { contentBlockIndex: 2, start: { toolUse: { toolUseId: "tu", name: "f" } } } },
      { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '{"a":' } } } },
      { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: "1}" } } } },
      { messageStop: { stopReason: "tool_use" } },
      { metadata: { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, metrics: { latencyMs: 1 } } },
    ];
    const deltas = events.map((e) => t.translate(e)).flatMap((c) => (c ? [c.choices[0]?.delta] : []));
    expect(deltas).toEqual([
      { role: "assistant", reasoning_content: "hm" },
      { thinking_blocks: [{ type: "thinking", thinking: "hm", signature: "sig" }] },
      { content: "Hi" },
      { tool_calls: [{ index: 0, id: "tu", type: "function", function: { name: "f", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: "1}" } }] },
    ]);
    const last = t.finish();
    expect(last.choices[0]?.finish_reason).toBe("tool_calls");
    expect(last.usage?.total_tokens).toBe(7);
    expect(t.partialText).toBe("Hi");
  });
});

describe("errors and retries", () => {
  const context = { modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0", region: "eu-west-1", section: "llm" };
  const awsError = (name: string, message: string, headers: Record<string, string> = {}) =>
    Object.assign(new Error(message), {
      name,
      $metadata: { httpStatusCode: 400, requestId: "rid-1" },
      $response: { statusCode: 400, headers },
    });

  it("names the cross_region_target to set when on-demand throughput is refused", () => {
    const { error, retryable } = classifyError(
      awsError(
        "ValidationException",
        "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported.",
      ),
      context,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(retryable).toBe(false);
    expect(error.message).toContain('cross_region_target = "eu"');
    expect(error.message).not.toContain("..");
    expect(error.requestId).toBe("rid-1");
  });

  it("marks transient errors retryable, reads Retry-After, and fails fast on access errors", () => {
    const throttled = classifyError(awsError("ThrottlingException", "slow", { "retry-after": "7" }), context, 3);
    expect(throttled.error).toBeInstanceOf(ThrottlingError);
    expect([throttled.retryable, throttled.retryAfterSeconds]).toEqual([true, 7]);
    expect((throttled.error as ThrottlingError).attempts).toBe(3);
    expect(classifyError(awsError("ServiceUnavailableException", "x"), context).retryable).toBe(true);
    expect(classifyError(awsError("AccessDeniedException", "no"), context).error).toBeInstanceOf(AccessDeniedError);
    const reset = classifyError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), context);
    expect([reset.error instanceof ServiceError, reset.retryable]).toEqual([true, true]);
    const idle = classifyError(Object.assign(new Error("Stream timed out"), { name: "TimeoutError" }), context);
    expect(idle.retryable).toBe(true);
  });

  it("computes full-jitter delays within min(max_wait, min_wait * multiplier^retry), honouring Retry-After", () => {
    const settings = { numRetries: 3, minWaitSeconds: 1, maxWaitSeconds: 5, multiplier: 2 };
    const retryable = { error: new ServiceError("x"), retryable: true };
    expect([0, 1, 2, 3].map((r) => backoffCeilingSeconds(r, settings))).toEqual([1, 2, 4, 5]);
    expect(retryDelayMs(retryable, 2, settings, () => 0.5)).toBe(2000);
    expect(retryDelayMs(retryable, 3, settings, () => 0.5)).toBeUndefined();
    expect(retryDelayMs({ ...retryable, retryAfterSeconds: 3 }, 0, settings, () => 0.1)).toBe(3000);
    expect(retryDelayMs({ ...retryable, retryable: false }, 0, settings, () => 0.1)).toBeUndefined();
  });
});
