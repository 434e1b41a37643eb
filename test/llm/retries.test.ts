/** The retry policy against injected faults: back-off bounds, Retry-After, fail-fast errors, broken streams. */
import { describe, expect } from "vitest";
import { AccessDeniedError, ServiceError, ThrottlingError, ValidationError } from "../../src/errors.js";
import { collect, it, type LLMFor } from "./emulator.js";
import { HAIKU_3 } from "./helpers.js";

const RETRY = { num_retries: 5, retry_min_wait: 1, retry_max_wait: 6, retry_multiplier: 2 };
const ASK = { messages: [{ role: "user" as const, content: "one two three four five six seven eight nine ten" }] };

/** An LLM whose back-off sleeps are recorded instead of waited, with a scripted random source. */
function recordingLLM(llmFor: LLMFor, randoms: number[], extra: Record<string, unknown> = RETRY) {
  const delays: number[] = [];
  let i = 0;
  const llm = llmFor(HAIKU_3, extra, {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => randoms[i++ % randoms.length] ?? 0,
  });
  return { llm, delays };
}

describe("retries", () => {
  it("retries 4 ThrottlingExceptions with full-jitter delays inside the configured bounds, then succeeds", async ({
    llmFor,
    control,
  }) => {
    await control.fault({ operation: "Converse", error: "ThrottlingException", count: 4 });
    const randoms = [0.5, 0.999, 0.25, 0.8];
    const { llm, delays } = recordingLLM(llmFor, randoms);
    const response = await llm.completion(ASK);
    expect(response.choices[0]?.message.content).toMatch(/^Echo:/);
    expect(delays).toHaveLength(4);
    delays.forEach((delay, retry) => {
      const ceilingMs = Math.min(RETRY.retry_max_wait, RETRY.retry_min_wait * RETRY.retry_multiplier ** retry) * 1000;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceilingMs);
      expect(delay).toBeCloseTo((randoms[retry] ?? 0) * ceilingMs, 6);
    });
    expect(llm.metrics.retries).toBe(4);
    expect(llm.metrics.calls[0]?.retries).toBe(4);
    expect((await control.requests()).filter((r) => r.operation === "Converse")).toHaveLength(5);
  });

  it("gives up after num_retries with a ThrottlingError that counts the attempts", async ({ llmFor, control }) => {
    await control.fault({ operation: "Converse", error: "ThrottlingException", count: 10 });
    const { llm, delays } = recordingLLM(llmFor, [0.5], { ...RETRY, num_retries: 2 });
    const error = await llm.completion(ASK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingError);
    expect((error as ThrottlingError).attempts).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it("waits at least the Retry-After the service sent", async ({ llmFor, control }) => {
    await control.fault({
      operation: "Converse",
      error: "ThrottlingException",
      count: 1,
      retryAfterSeconds: 4,
    });
    const { llm, delays } = recordingLLM(llmFor, [0.1]);
    await llm.completion(ASK);
    expect(delays).toEqual([4000]);
  });

  it("retries ServiceUnavailable, InternalServer, ModelNotReady and ModelTimeout", async ({ llmFor, control }) => {
    for (const error of [
      "ServiceUnavailableException",
      "InternalServerException",
      "ModelNotReadyException",
      "ModelTimeoutException",
    ]) {
      await control.fault({ operation: "Converse", error, count: 1 });
    }
    const { llm, delays } = recordingLLM(llmFor, [0]);
    await llm.completion(ASK);
    expect(delays).toHaveLength(4);
  });

  it("fails at once on ValidationException and AccessDeniedException", async ({ llmFor, control }) => {
    await control.fault({ operation: "Converse", error: "ValidationException", count: 1 });
    await control.fault({ operation: "Converse", error: "AccessDeniedException", count: 1 });
    const { llm, delays } = recordingLLM(llmFor, [0.5]);
    await expect(llm.completion(ASK)).rejects.toBeInstanceOf(ValidationError);
    await expect(llm.completion(ASK)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(delays).toHaveLength(0);
  });
});

describe("stream failures", () => {
  it("retries a stream that fails before its first content event, transparently", async ({ llmFor, control }) => {
    await control.fault({
      operation: "ConverseStream",
      error: "ThrottlingException",
      count: 1,
      afterEvents: 1,
    });
    const { llm, delays } = recordingLLM(llmFor, [0.5]);
    const result = await collect(llm.stream(ASK));
    expect(result.text).toBe("Echo: one two three four five six seven eight nine ten");
    expect(result.chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
    expect(delays).toHaveLength(1);
    expect(llm.metrics.calls[0]?.retries).toBe(1);
  });

  it("ends with a ServiceError keeping the partial text when the stream breaks after content", async ({
    llmFor,
    control,
  }) => {
    await control.fault({
      operation: "ConverseStream",
      error: "InternalServerException",
      count: 1,
      afterEvents: 3,
    });
    const { llm, delays } = recordingLLM(llmFor, [0.5]);
    let received = "";
    const error = await (async () => {
      for await (const chunk of llm.stream(ASK)) received += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(received.length).toBeGreaterThan(0);
    expect((error as ServiceError).partialText).toBe(received);
    expect(delays).toHaveLength(0);
  });
});
