/** The native Anthropic calls (invokeAnthropic, streamAnthropic, countAnthropicTokens) against the emulator. */
import { describe, expect, it } from "vitest";
import { GuardrailInterventionError, ThrottlingError, ValidationError } from "../../src/errors.js";
import type { AnthropicStreamEvent } from "../../src/llm/index.js";
import { useEmulator } from "./emulator.js";
import { filler, SONNET_45, TITAN } from "./helpers.js";

const bedrock = useEmulator();
const HELLO = { max_tokens: 256, messages: [{ role: "user", content: "Say hello" }] };

async function events(stream: AsyncIterable<AnthropicStreamEvent>): Promise<AnthropicStreamEvent[]> {
  const all: AnthropicStreamEvent[] = [];
  for await (const event of stream) all.push(event);
  return all;
}

describe("invokeAnthropic", () => {
  it("sends the body natively to the profile id and prices the reply", async () => {
    await bedrock.control("responses", { text: "Hello there." });
    const llm = bedrock.llm(SONNET_45);
    const message = await llm.invokeAnthropic({ ...HELLO, model: "claude-sonnet-4-5", stream: false });
    expect(message).toMatchObject({ type: "message", role: "assistant", stop_reason: "end_turn" });
    expect(message.content).toEqual([{ type: "text", text: "Hello there." }]);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.cost).toBeGreaterThan(0);
    expect(llm.metrics.calls[0]).toMatchObject({ model: `us.${SONNET_45}`, cost: message.cost });
    const [sent] = await bedrock.requests();
    expect(sent?.operation).toBe("InvokeModel");
    expect(sent?.modelId).toBe(`us.${SONNET_45}`);
    expect(sent?.body).toEqual({ anthropic_version: "bedrock-2023-05-31", ...HELLO });
  });

  it("keeps the betas Bedrock offers and leaves out the others, saying so once", async () => {
    const warnings: string[] = [];
    const llm = bedrock.llm(SONNET_45, {}, { onWarning: (w) => warnings.push(w) });
    const body = { ...HELLO, anthropic_beta: ["claude-code-20250219"], context_management: { edits: [] } };
    await llm.invokeAnthropic(body, { betas: ["interleaved-thinking-2025-05-14", "oauth-2025-04-20"] });
    await llm.invokeAnthropic(body, { betas: ["interleaved-thinking-2025-05-14", "oauth-2025-04-20"] });
    const [sent] = await bedrock.requests();
    expect(sent?.body).toMatchObject({ anthropic_beta: ["interleaved-thinking-2025-05-14"] });
    expect(sent?.body).not.toHaveProperty("context_management");
    expect(warnings).toEqual([
      "Bedrock's Anthropic body does not take context_management: left out.",
      "Bedrock does not offer the Anthropic betas claude-code-20250219, oauth-2025-04-20: left out.",
    ]);
  });

  it("prices one-hour cache writes at the one-hour price", async () => {
    const llm = bedrock.llm(SONNET_45, { cache_ttl: "5m" });
    const system = [{ type: "text", text: filler(8000), cache_control: { type: "ephemeral", ttl: "1h" } }];
    const message = await llm.invokeAnthropic({ ...HELLO, system });
    const usage = message.usage;
    expect(usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(1000);
    // Sonnet 4.5: $3 input, $15 output, 1h writes $6 per 1M tokens.
    const expected =
      ((usage.input_tokens ?? 0) * 3 + (usage.output_tokens ?? 0) * 15 + (usage.cache_creation_input_tokens ?? 0) * 6) /
      1e6;
    expect(message.cost).toBeCloseTo(expected, 12);
  });

  it("retries throttling with the configured policy", async () => {
    await bedrock.control("faults", { operation: "InvokeModel", error: "ThrottlingException", count: 1 });
    const llm = bedrock.llm(SONNET_45, { num_retries: 2, retry_min_wait: 0.01, retry_max_wait: 0.02 });
    await llm.invokeAnthropic(HELLO);
    expect(llm.metrics.retries).toBe(1);
  });

  it("throws ThrottlingError once the retries are used up", async () => {
    await bedrock.control("faults", { operation: "InvokeModel", error: "ThrottlingException", count: 3 });
    const llm = bedrock.llm(SONNET_45, { num_retries: 1, retry_min_wait: 0.01, retry_max_wait: 0.02 });
    await expect(llm.invokeAnthropic(HELLO)).rejects.toBeInstanceOf(ThrottlingError);
  });

  it("sends the guardrail as InvokeModel's guardrail headers", async () => {
    await bedrock.control("guardrails", { id: "g1", version: "1", blockedWords: ["forbidden"], blockedMessage: "No." });
    const guardrail = { guardrailIdentifier: "g1", guardrailVersion: "1", raise_on_intervention: true };
    const llm = bedrock.llm(SONNET_45, { guardrail_config: guardrail });
    const clean = await llm.invokeAnthropic(HELLO);
    expect(clean.stop_reason).toBe("end_turn");
    const blocked = { ...HELLO, messages: [{ role: "user", content: "the forbidden project" }] };
    await expect(llm.invokeAnthropic(blocked)).rejects.toBeInstanceOf(GuardrailInterventionError);
  });

  it("refuses a body that is not an object", async () => {
    const llm = bedrock.llm(SONNET_45);
    await expect(llm.invokeAnthropic("hello" as never)).rejects.toBeInstanceOf(ValidationError);
    expect(await bedrock.requests()).toEqual([]);
  });

  it("refuses a model that is not Claude", async () => {
    const llm = bedrock.llm(TITAN);
    await expect(llm.invokeAnthropic(HELLO)).rejects.toBeInstanceOf(ValidationError);
    expect(await bedrock.requests()).toEqual([]);
  });

  it("relays Bedrock's validation errors", async () => {
    const llm = bedrock.llm(SONNET_45);
    await expect(llm.invokeAnthropic({ ...HELLO, max_tokens: 10_000_000 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("streamAnthropic", () => {
  it("yields the Messages API events, message_stop last with the cost", async () => {
    await bedrock.control("responses", { text: "One two three four five." });
    const llm = bedrock.llm(SONNET_45);
    const all = await events(llm.streamAnthropic(HELLO));
    expect(all.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      ...all.filter((e) => e.type === "content_block_delta").map(() => "content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = all
      .filter((e) => e.type === "content_block_delta")
      .map((e) => (e.delta as { text: string }).text)
      .join("");
    expect(text).toBe("One two three four five.");
    const stop = all.at(-1);
    expect(stop).not.toHaveProperty("amazon-bedrock-invocationMetrics");
    expect(stop?.cost).toBe(llm.metrics.accumulated_cost);
    expect(llm.metrics.calls[0]?.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(llm.metrics.completion_tokens).toBeGreaterThan(0);
    expect((await bedrock.requests())[0]?.operation).toBe("InvokeModelWithResponseStream");
  });

  it("retries a stream that fails before its first content block", async () => {
    await bedrock.control("faults", {
      operation: "InvokeModelWithResponseStream",
      error: "ThrottlingException",
      count: 1,
    });
    const llm = bedrock.llm(SONNET_45, { num_retries: 2, retry_min_wait: 0.01, retry_max_wait: 0.02 });
    const all = await events(llm.streamAnthropic(HELLO));
    expect(all.at(-1)?.type).toBe("message_stop");
    expect(llm.metrics.retries).toBe(1);
  });

  it("ends with the error and the text delivered when the stream breaks after content", async () => {
    await bedrock.control("responses", { text: "alpha beta gamma delta epsilon zeta eta theta" });
    await bedrock.control("faults", {
      operation: "InvokeModelWithResponseStream",
      error: "ServiceUnavailableException",
      afterEvents: 4,
    });
    const llm = bedrock.llm(SONNET_45, { num_retries: 2, retry_min_wait: 0.01, retry_max_wait: 0.02 });
    const seen: AnthropicStreamEvent[] = [];
    const failure = await (async () => {
      try {
        for await (const event of llm.streamAnthropic(HELLO)) seen.push(event);
      } catch (error) {
        return error as Error & { partialText?: string };
      }
    })();
    expect(failure?.name).toBe("ServiceError");
    expect(seen.some((e) => e.type === "content_block_delta")).toBe(true);
    expect(failure?.partialText?.length).toBeGreaterThan(0);
    expect(llm.metrics.calls).toEqual([]);
  });
});

describe("countAnthropicTokens", () => {
  it("counts what the call reports as input, without max_tokens", async () => {
    const llm = bedrock.llm(SONNET_45);
    const body = { system: "Be brief.", messages: [{ role: "user", content: filler(400) }] };
    const counted = await llm.countAnthropicTokens(body);
    const message = await llm.invokeAnthropic({ ...body, max_tokens: 100 });
    expect(counted).toBe(message.usage.input_tokens);
    const [count] = await bedrock.requests();
    expect(count).toMatchObject({ operation: "CountTokens", modelId: SONNET_45 });
  });
});
