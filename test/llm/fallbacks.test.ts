/**
 * Fallbacks through the public API, against the emulator: each section is a region of it (the SigV4 scope tells
 * them apart), and faults scoped by region make one fail. A call tries its section for that section's retries,
 * then the next section in order; validation and access errors stay where they are.
 */
import { describe, expect } from "vitest";
import { AccessDeniedError, ThrottlingError, ValidationError } from "../../src/errors.js";
import { collect, it } from "./emulator.js";
import { ASK, ECHO, regions, routedLLM } from "./routing-helpers.js";

const HAIKU_35 = "anthropic.claude-3-5-haiku-20241022-v1:0";

const CHAIN = {
  second: { aws_region_name: "us-west-2", num_retries: 1 },
  third: { aws_region_name: "us-east-2", model: `bedrock/${HAIKU_35}`, num_retries: 0 },
};

describe("fallbacks", () => {
  it("go through the sections in order, each after its own retries, and say which one served", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 100 });
    await control.fault({ region: "us-west-2", error: "ServiceUnavailableException", count: 100 });
    const { llm, delays } = routedLLM(emulator.url, { fallbacks: ["second", "third"] }, CHAIN);
    const response = await llm.completion(ASK);
    expect(response.served_by).toBe("third");
    // The third section's own model and region.
    expect(response.model).toBe(HAIKU_35);
    expect(response.choices[0]?.message.content).toBe(ECHO);
    expect(await regions(control)).toEqual([
      "us-east-1",
      "us-east-1",
      "us-east-1",
      "us-west-2",
      "us-west-2",
      "us-east-2",
    ]);
    // [llm] retried twice, [llm.second] once; falling back does not wait.
    expect(delays).toHaveLength(3);
    const { metrics } = llm;
    expect(metrics.fallbacks).toBe(2);
    expect(metrics.routing.llm?.fallbacks).toBe(1);
    expect(metrics.routing.second?.fallbacks).toBe(1);
    expect(metrics.routing.third?.served).toBe(1);
    expect(metrics.calls[0]).toMatchObject({ servedBy: "third", fellBackFrom: ["llm", "second"], retries: 3 });
  });

  it("do the same for a stream before its first content, and the last chunk names the section", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 100 });
    const { llm } = routedLLM(emulator.url, { fallbacks: ["second"], num_retries: 0 }, CHAIN);
    const result = await collect(llm.stream(ASK));
    expect(result.text).toBe(ECHO);
    expect(result.last?.served_by).toBe("second");
    expect(result.chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
    expect(await regions(control)).toEqual(["us-east-1", "us-west-2"]);
  });

  it("serve from the section itself when it answers, with served_by saying so", async ({ emulator, control }) => {
    const { llm } = routedLLM(emulator.url, { fallbacks: ["second"] }, CHAIN);
    expect((await llm.completion(ASK)).served_by).toBe("llm");
    expect(llm.metrics.fallbacks).toBe(0);
    expect(await regions(control)).toEqual(["us-east-1"]);
  });

  it("never follow a validation or access error", async ({ emulator, control }) => {
    const { llm, delays } = routedLLM(emulator.url, { fallbacks: ["second", "third"] }, CHAIN);
    await control.fault({ region: "us-east-1", error: "ValidationException", message: "Bad field." });
    await expect(llm.completion(ASK)).rejects.toBeInstanceOf(ValidationError);
    await control.fault({ region: "us-east-1", error: "AccessDeniedException" });
    await expect(collect(llm.stream(ASK))).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await regions(control)).toEqual(["us-east-1", "us-east-1"]);
    expect(delays).toEqual([]);
    expect(llm.metrics.fallbacks).toBe(0);
  });

  it("follow a context window too small at once, to a section that may have a larger one", async ({
    emulator,
    control,
  }) => {
    await control.fault({
      region: "us-east-1",
      error: "ValidationException",
      message: "The model returned the following errors: prompt is too long: 210000 tokens > 200000 maximum",
    });
    const { llm, delays } = routedLLM(emulator.url, { fallbacks: ["third"] }, CHAIN);
    const response = await llm.completion(ASK);
    expect(response.served_by).toBe("third");
    expect(delays).toEqual([]);
    expect(await regions(control)).toEqual(["us-east-1", "us-east-2"]);
  });

  it("end with the last section's error, naming the route, when every section fails", async ({ emulator, control }) => {
    await control.fault({ error: "ThrottlingException", count: 100 });
    const { llm } = routedLLM(emulator.url, { fallbacks: ["second", "third"], num_retries: 0 }, CHAIN);
    const error = await llm.completion(ASK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingError);
    expect((error as Error).message).toContain("for anthropic.claude-3-5-haiku-20241022-v1:0");
    expect((error as Error).message).toContain("(Routed through [llm], then [llm.second], then [llm.third].)");
    expect(await regions(control)).toEqual(["us-east-1", "us-west-2", "us-west-2", "us-east-2"]);
    expect(llm.metrics.fallbacks).toBe(2);
  });

  it("follow a fallback's own fallbacks, each section once", async ({ emulator, control }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 100 });
    await control.fault({ region: "us-west-2", error: "ThrottlingException", count: 100 });
    const sections = {
      second: { aws_region_name: "us-west-2", num_retries: 0, fallbacks: ["third"] },
      third: { aws_region_name: "us-east-2" },
    };
    const { llm } = routedLLM(emulator.url, { fallbacks: ["second", "third"], num_retries: 0 }, sections);
    expect((await llm.completion(ASK)).served_by).toBe("third");
    expect(await regions(control)).toEqual(["us-east-1", "us-west-2", "us-east-2"]);
  });
});

describe("native Anthropic calls", () => {
  const body = { max_tokens: 64, messages: [{ role: "user", content: "hello there" }] };

  it("fall back like completions, before the first content, and say which section served", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: "us-east-1", error: "ThrottlingException", count: 100 });
    const { llm } = routedLLM(emulator.url, { fallbacks: ["second"], num_retries: 0 }, CHAIN);
    const message = await llm.invokeAnthropic(body);
    expect(message.served_by).toBe("second");
    const events = [];
    for await (const event of llm.streamAnthropic(body)) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: "message_stop", served_by: "second" });
    expect(await llm.countAnthropicTokens(body)).toBeGreaterThan(0);
    expect(await regions(control)).toEqual([
      "us-east-1",
      "us-west-2",
      "us-east-1",
      "us-west-2",
      "us-east-1",
      "us-west-2",
    ]);
    expect(llm.metrics.routing.llm?.fallbacks).toBe(3);
    expect(llm.metrics.calls.map((call) => call.servedBy)).toEqual(["second", "second"]);
  });
});
