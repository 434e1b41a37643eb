/**
 * The library's traces: a span per call with the GenAI semantic conventions and a child span per Bedrock attempt,
 * through the tracer given in LLMOptions, recorded by an in-memory exporter.
 */
import { SpanStatusCode } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect } from "vitest";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { GuardrailInterventionError, ThrottlingError } from "../../src/errors.js";
import { collect, it } from "./emulator.js";
import { HAIKU_3, SONNET_45 } from "./helpers.js";
import { ASK, routedLLM } from "./routing-helpers.js";

function recorder() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("test");
  return {
    tracer,
    spans: () => exporter.getFinishedSpans(),
    /** The one call span and its attempts, in the order they started. */
    call(): { call: ReadableSpan; attempts: ReadableSpan[] } {
      const spans = exporter.getFinishedSpans();
      const calls = spans.filter((s) => s.parentSpanContext === undefined);
      expect(calls).toHaveLength(1);
      const call = calls[0] as ReadableSpan;
      const attempts = spans
        .filter((s) => s.parentSpanContext?.spanId === call.spanContext().spanId)
        .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
      return { call, attempts };
    },
  };
}

describe("traces of the library's calls", () => {
  it("a retried completion: one chat span with the GenAI attributes and two attempt spans", async ({
    emulator,
    control,
  }) => {
    await control.fault({ operation: "Converse", error: "ThrottlingException", count: 1 });
    const traces = recorder();
    const { llm } = routedLLM(emulator.url, {}, {}, { tracer: traces.tracer });
    const response = await llm.completion({ ...ASK, max_tokens: 200, temperature: 0.3, stop: ["END"] });
    const { call, attempts } = traces.call();
    expect(call.name).toBe(`chat ${HAIKU_3}`);
    expect(call.kind).toBe(2); // CLIENT
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "aws.bedrock",
      "gen_ai.request.model": HAIKU_3,
      "gen_ai.request.max_tokens": 200,
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.request.stream": false,
      "gen_ai.response.model": HAIKU_3,
      "gen_ai.response.id": response.id,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": response.usage.prompt_tokens,
      "gen_ai.usage.output_tokens": response.usage.completion_tokens,
      "gen_ai.usage.cache_read.input_tokens": 0,
      "gen_ai.usage.cache_creation.input_tokens": 0,
      "bedrock_llm.cost_usd": response.cost,
      "bedrock_llm.retries": 1,
      "bedrock_llm.served_by": "llm",
    });
    expect(call.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(attempts.map((a) => a.attributes["bedrock_llm.attempt"])).toEqual([1, 2]);
    expect(attempts[0]?.attributes).toMatchObject({
      "error.type": "ThrottlingException",
      "bedrock_llm.section": "llm",
      "bedrock_llm.served_by": "llm",
      "cloud.region": "us-east-1",
      "gen_ai.request.model": HAIKU_3,
    });
    expect(attempts[0]?.attributes["server.address"]).toBe(new URL(emulator.url).host);
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempts[1]?.attributes["error.type"]).toBeUndefined();
    expect(attempts[1]?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it("a fallback: the attempts name the sections they went to, and the call span the sections it left", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 100 });
    const traces = recorder();
    const { llm } = routedLLM(
      emulator.url,
      { fallbacks: ["second"], num_retries: 1 },
      { second: { aws_region_name: "us-west-2", num_retries: 0 } },
      { tracer: traces.tracer },
    );
    const response = await llm.completion(ASK);
    expect(response.served_by).toBe("second");
    const { call, attempts } = traces.call();
    expect(attempts.map((a) => [a.attributes["bedrock_llm.section"], a.attributes["cloud.region"]])).toEqual([
      ["llm", "us-east-1"],
      ["llm", "us-east-1"],
      ["second", "us-west-2"],
    ]);
    expect(attempts.map((a) => a.attributes["error.type"] ?? "ok")).toEqual([
      "ThrottlingException",
      "ThrottlingException",
      "ok",
    ]);
    expect(call.attributes).toMatchObject({
      "bedrock_llm.served_by": "second",
      "bedrock_llm.fell_back_from": ["llm"],
      "bedrock_llm.retries": 1,
    });
    expect(call.events.map((e) => [e.name, e.attributes?.["bedrock_llm.section"]])).toEqual([
      ["bedrock_llm.fallback", "second"],
    ]);
  });

  it("a failed call: error.type and code on an ERROR span, no message, every attempt recorded", async ({
    emulator,
    control,
  }) => {
    await control.fault({ error: "ThrottlingException", count: 100 });
    const traces = recorder();
    const { llm } = routedLLM(emulator.url, { num_retries: 2 }, {}, { tracer: traces.tracer });
    await expect(llm.completion(ASK)).rejects.toBeInstanceOf(ThrottlingError);
    const { call, attempts } = traces.call();
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: "ThrottlingError" });
    expect(call.attributes).toMatchObject({
      "error.type": "ThrottlingError",
      "bedrock_llm.error.code": "throttling",
      "bedrock_llm.retries": 2,
    });
    expect(call.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(attempts).toHaveLength(3);
    expect(attempts.every((a) => a.status.code === SpanStatusCode.ERROR)).toBe(true);
  });

  it("a stream: stream, time to first chunk, usage and finish reason; a reader leaving early ends it as cancelled", async ({
    emulator,
  }) => {
    const traces = recorder();
    const { llm } = routedLLM(emulator.url, {}, {}, { tracer: traces.tracer });
    const result = await collect(llm.stream(ASK));
    const { call, attempts } = traces.call();
    expect(attempts).toHaveLength(1);
    expect(call.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.output_tokens": result.last?.usage?.completion_tokens,
    });
    expect(call.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);

    const early = recorder();
    const { llm: second } = routedLLM(emulator.url, {}, {}, { tracer: early.tracer });
    for await (const _chunk of second.stream(ASK)) break;
    const cancelled = early.call().call;
    expect(cancelled.attributes["bedrock_llm.cancelled"]).toBe(true);
    expect(cancelled.ended).toBe(true);
  });

  it("no attribute holds a credential or the conversation", async ({ emulator, control }) => {
    await control.fault({ operation: "Converse", error: "ThrottlingException", count: 1 });
    const traces = recorder();
    const { llm } = routedLLM(emulator.url, {}, {}, { tracer: traces.tracer });
    await llm.completion(ASK);
    const dump = JSON.stringify(traces.spans().map((s) => [s.name, s.attributes, s.events, s.status]));
    expect(dump).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
    expect(dump).not.toContain(BUILTIN_ACCESS_KEY_ID);
    expect(dump).not.toContain("one two three");
  });

  it("countTokens: a count_tokens span with the input tokens, and whether Bedrock or the estimate counted", async ({
    llmFor,
  }) => {
    const counted = recorder();
    const count = await llmFor(SONNET_45, {}, { tracer: counted.tracer }).countTokens(ASK);
    const { call, attempts } = counted.call();
    expect(call.name).toBe(`count_tokens us.${SONNET_45}`);
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "count_tokens",
      "gen_ai.usage.input_tokens": count.input_tokens,
      "bedrock_llm.count.source": "bedrock",
    });
    expect(call.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(attempts).toHaveLength(1);

    const estimated = recorder();
    const estimate = await llmFor("amazon.nova-lite-v1:0", {}, { tracer: estimated.tracer }).countTokens(ASK);
    expect(estimate.source).toBe("estimate");
    const second = estimated.call();
    expect(second.call.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": estimate.input_tokens,
      "bedrock_llm.count.source": "estimate",
    });
    // Bedrock's refusal shows on the attempt; the count itself answered.
    expect(second.attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(second.call.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it("a guardrail's intervention raised as an error: usage recorded, the span in error", async ({
    llmFor,
    control,
  }) => {
    await control.guardrail({ id: "g1", version: "1", blockedWords: ["forbidden"], blockedMessage: "Sorry." });
    const traces = recorder();
    const guardrail = { guardrailIdentifier: "g1", guardrailVersion: "1", raise_on_intervention: true };
    const llm = llmFor(SONNET_45, { guardrail_config: guardrail }, { tracer: traces.tracer });
    const ask = { messages: [{ role: "user" as const, content: "the forbidden project" }] };
    await expect(llm.completion(ask)).rejects.toBeInstanceOf(GuardrailInterventionError);
    const { call } = traces.call();
    expect(call.attributes).toMatchObject({
      "gen_ai.response.finish_reasons": ["content_filter"],
      "error.type": "GuardrailInterventionError",
      "bedrock_llm.error.code": "guardrail",
    });
    expect(call.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
  });
});
