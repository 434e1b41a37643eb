/**
 * Deployments through the public API: one logical model served by two sections (two regions of the emulator).
 * Picks by least in flight or by weight, cooldowns after throttling that steer the next calls away at once, and
 * stream recovery from a prefill.
 */
import { describe, expect } from "vitest";
import { ServiceError } from "../../src/errors.js";
import { collect, it } from "./emulator.js";
import { ASK, ECHO, regions, routedLLM } from "./routing-helpers.js";

const REGIONS = { east: { aws_region_name: "us-east-1" }, west: { aws_region_name: "us-west-2" } };
const EAST = "us-east-1";
const WEST = "us-west-2";

describe("deployments, least in flight", () => {
  it("take turns when calls come one after another", async ({ emulator }) => {
    const { llm } = routedLLM(emulator.url, { deployments: ["east", "west"] }, REGIONS);
    const served: (string | undefined)[] = [];
    for (let i = 0; i < 4; i += 1) served.push((await llm.completion(ASK)).served_by);
    expect(served).toEqual(["east", "west", "east", "west"]);
    expect(llm.metrics.routing.east?.served).toBe(2);
  });

  it("send a call to the deployment with fewer calls in flight, not merely the next in turn", async ({ emulator }) => {
    const { llm } = routedLLM(emulator.url, { deployments: ["east", "west"] }, REGIONS);
    // A stays open on east (read up to its first chunk only); B on west finishes.
    const a = llm.stream(ASK)[Symbol.asyncIterator]();
    await a.next();
    expect((await llm.completion(ASK)).served_by).toBe("west");
    // Taking turns would say east (picked longest ago); east has a call in flight, west none.
    expect((await llm.completion(ASK)).served_by).toBe("west");
    let last: string | undefined;
    for (let step = await a.next(); !step.done; step = await a.next()) last = step.value.served_by ?? last;
    expect(last).toBe("east");
    expect((await llm.completion(ASK)).served_by).toBe("east");
  });

  it("spread concurrent streams evenly", async ({ emulator, control }) => {
    await control.pace({ eventsPerSecond: 50, events: 10, operation: "ConverseStream" });
    const { llm } = routedLLM(emulator.url, { deployments: ["east", "west"] }, REGIONS);
    const results = await Promise.all(Array.from({ length: 8 }, () => collect(llm.stream(ASK))));
    const served = results.map((r) => r.last?.served_by);
    expect(served.filter((s) => s === "east")).toHaveLength(4);
    expect(served.filter((s) => s === "west")).toHaveLength(4);
  });
});

describe("deployments, weighted", () => {
  it("share calls by weight, interleaved", async ({ emulator }) => {
    const sections = { east: { ...REGIONS.east, weight: 3 }, west: { ...REGIONS.west, weight: 1 } };
    const { llm } = routedLLM(emulator.url, { deployments: ["east", "west"], routing_strategy: "weighted" }, sections);
    const served: (string | undefined)[] = [];
    for (let i = 0; i < 8; i += 1) served.push((await llm.completion(ASK)).served_by);
    expect(served.filter((s) => s === "east")).toHaveLength(6);
    expect(served.filter((s) => s === "west")).toHaveLength(2);
    // Smooth: never three calls in a row... of four to the lighter one, never the heavier one idle for long.
    expect(served.slice(0, 4).filter((s) => s === "west")).toHaveLength(1);
  });
});

describe("cooldowns", () => {
  it("move a throttled call to the other deployment at once, and keep the next calls away", async ({
    emulator,
    control,
  }) => {
    await control.fault({ region: EAST, error: "ThrottlingException", count: 1 });
    const { llm, delays, advance } = routedLLM(
      emulator.url,
      { deployments: ["east", "west"], cooldown_seconds: 10 },
      REGIONS,
    );
    expect((await llm.completion(ASK)).served_by).toBe("west");
    expect(delays).toEqual([]);
    for (let i = 0; i < 3; i += 1) expect((await llm.completion(ASK)).served_by).toBe("west");
    expect(await regions(control)).toEqual([EAST, WEST, WEST, WEST, WEST]);
    expect(llm.metrics).toMatchObject({ cooldowns: 1, retries: 1, routing: { east: { cooldowns: 1 } } });
    // Ten seconds later east is back, and it is its turn (picked longest ago).
    advance(10_001);
    expect((await llm.completion(ASK)).served_by).toBe("east");
  });

  it("last at least the Retry-After, and grow with throttles in a row", async ({ emulator, control }) => {
    const { llm, advance } = routedLLM(
      emulator.url,
      { deployments: ["east", "west"], cooldown_seconds: 1, cooldown_max_seconds: 8 },
      REGIONS,
    );
    await control.fault({ region: EAST, error: "ThrottlingException", retryAfterSeconds: 5 });
    expect((await llm.completion(ASK)).served_by).toBe("west");
    advance(4_900);
    expect((await llm.completion(ASK)).served_by).toBe("west");
    advance(200);
    // East again: throttled once more (second in a row, 2 s), then twice (4 s).
    await control.fault({ region: EAST, error: "ThrottlingException", count: 1 });
    expect((await llm.completion(ASK)).served_by).toBe("west");
    advance(2_100);
    await control.fault({ region: EAST, error: "ThrottlingException", count: 1 });
    expect((await llm.completion(ASK)).served_by).toBe("west");
    advance(3_900);
    expect((await llm.completion(ASK)).served_by).toBe("west");
    advance(200);
    expect((await llm.completion(ASK)).served_by).toBe("east");
    expect(llm.metrics.cooldowns).toBe(3);
  });

  it("when every deployment is cooling, wait the back-off and take the one that recovers first", async ({
    emulator,
    control,
  }) => {
    await control.fault({ error: "ThrottlingException", count: 2 });
    const { llm, delays } = routedLLM(emulator.url, { deployments: ["east", "west"], cooldown_seconds: 30 }, REGIONS);
    const response = await llm.completion(ASK);
    expect(await regions(control)).toEqual([EAST, WEST, EAST]);
    expect(response.served_by).toBe("east");
    expect(delays).toHaveLength(1);
  });

  it("are left to the deployments: a quota exhausted in one region moves traffic to the other", async ({
    emulator,
    control,
  }) => {
    await control.quota({ region: EAST, callsPerSecond: 2 });
    const { llm } = routedLLM(emulator.url, { deployments: ["east", "west"], cooldown_seconds: 60 }, REGIONS);
    const served = await Promise.all(Array.from({ length: 10 }, async () => (await llm.completion(ASK)).served_by));
    expect(served.filter((s) => s === "east").length).toBeLessThanOrEqual(2);
    expect(served.filter((s) => s === "west").length).toBeGreaterThanOrEqual(8);
    expect(llm.metrics.calls.every((c) => c.retries <= 1)).toBe(true);
  });
});

describe("stream recovery", () => {
  const recovering = { deployments: ["east", "west"], stream_recovery: true };

  it("goes on from the text delivered on the other deployment: one uninterrupted stream", async ({
    emulator,
    control,
  }) => {
    await control.fault({
      region: EAST,
      operation: "ConverseStream",
      error: "ServiceUnavailableException",
      afterEvents: 3,
    });
    const { llm } = routedLLM(emulator.url, recovering, REGIONS);
    const result = await collect(llm.stream(ASK));
    expect(result.text).toBe(ECHO);
    expect(result.chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
    expect(new Set(result.chunks.map((c) => c.id)).size).toBe(1);
    expect(result.last?.served_by).toBe("west");
    expect(result.last?.choices[0]?.finish_reason).toBe("stop");
    const requests = (await control.requests()).filter((r) => r.operation === "ConverseStream");
    expect(requests.map((r) => r.region)).toEqual([EAST, WEST]);
    // The continuation carries what was delivered as the assistant's prefix (trailing whitespace dropped).
    const sent = requests[1]?.body as { messages: { role: string; content: { text: string }[] }[] };
    expect(sent.messages.at(-1)).toEqual({ role: "assistant", content: [{ text: "Echo: one two three four five" }] });
    expect(llm.metrics).toMatchObject({ stream_recoveries: 1, routing: { east: { stream_recoveries: 1 } } });
  });

  it("goes on after a connection reset mid-stream too", async ({ emulator, control }) => {
    await control.fault({ region: EAST, operation: "ConverseStream", connection: "reset", afterEvents: 2 });
    const { llm } = routedLLM(emulator.url, recovering, REGIONS);
    const result = await collect(llm.stream(ASK));
    expect(result.text).toBe(ECHO);
    expect(result.last?.served_by).toBe("west");
  });

  it("is off unless asked for: the stream ends with the typed error and the text delivered", async ({
    emulator,
    control,
  }) => {
    await control.fault({
      region: EAST,
      operation: "ConverseStream",
      error: "ServiceUnavailableException",
      afterEvents: 3,
    });
    const { llm } = routedLLM(emulator.url, { deployments: ["east", "west"] }, REGIONS);
    const error = await collect(llm.stream(ASK)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).partialText).toBe("Echo: one two three four five ");
    expect(await regions(control)).toEqual([EAST]);
  });

  it("keeps the typed error where no model of the leg takes a prefill (Claude 4.6)", async ({ emulator, control }) => {
    await control.fault({
      region: EAST,
      operation: "ConverseStream",
      error: "ServiceUnavailableException",
      afterEvents: 3,
    });
    const sonnet46 = { model: "bedrock/us.anthropic.claude-sonnet-4-6" };
    const sections = { east: { ...REGIONS.east, ...sonnet46 }, west: { ...REGIONS.west, ...sonnet46 } };
    const { llm } = routedLLM(emulator.url, recovering, sections);
    const error = await collect(llm.stream(ASK)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).partialText).toBe("Echo: one two three four five ");
    expect(llm.metrics.stream_recoveries).toBe(0);
  });

  it("goes on on the same section, over a fresh connection, when it has no other deployment", async ({
    emulator,
    control,
  }) => {
    await control.fault({ operation: "ConverseStream", connection: "reset", afterEvents: 3 });
    const { llm, delays } = routedLLM(emulator.url, { stream_recovery: true });
    const result = await collect(llm.stream(ASK));
    expect(result.text).toBe(ECHO);
    expect(result.last?.served_by).toBe("llm");
    expect(delays).toHaveLength(1);
    expect(llm.metrics).toMatchObject({ stream_recoveries: 1, retries: 1 });
    const requests = await control.requests("ConverseStream");
    expect(requests.map((r) => r.connectionFault)).toEqual(["reset", undefined]);
  });
});
