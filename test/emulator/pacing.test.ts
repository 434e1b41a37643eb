/**
 * Paced streams for load tests: POST /_emulator/pace and `pace` on scripted replies make ConverseStream and
 * InvokeModelWithResponseStream deliver one word per content event at a fixed rate. Timing is only checked from
 * below (a paced stream cannot finish early), never as an upper bound.
 */

import { getEventListeners } from "node:events";
import {
  type BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, vi } from "vitest";
import { sleepUntil } from "../../src/emulator/runtime/pacing.js";
import { test } from "../support/fixtures.js";
import { bedrockClient, HAIKU_3, SONNET_45_PROFILE } from "./helpers.js";

/** One SDK client for the file, signed with the built-in keys, no retries. */
const it = test.extend("client", { scope: "file" }, ({ emulator }, { onCleanup }) => {
  const client = bedrockClient(emulator);
  onCleanup(() => client.destroy());
  return client;
});

const ask = (text: string) => ({
  modelId: HAIKU_3,
  messages: [{ role: "user" as const, content: [{ text }] }],
});

/** Text deltas of a ConverseStream, and the milliseconds from sending to the last one. */
async function converseDeltas(
  client: BedrockRuntimeClient,
  text: string,
): Promise<{ deltas: string[]; elapsedMs: number }> {
  const started = performance.now();
  const res = await client.send(new ConverseStreamCommand(ask(text)));
  const deltas: string[] = [];
  let last = started;
  for await (const event of res.stream ?? []) {
    const delta = event.contentBlockDelta?.delta?.text;
    if (delta !== undefined) {
      deltas.push(delta);
      last = performance.now();
    }
  }
  return { deltas, elapsedMs: last - started };
}

describe("the pace control endpoint", () => {
  it("stores, shows and clears the rule; reset clears it too", async ({ emulator, control }) => {
    const set = await control.send("pace", { eventsPerSecond: 50, events: 1000 });
    expect(await set.json()).toEqual({
      ok: true,
      pace: { eventsPerSecond: 50, events: 1000, operation: "*" },
    });
    expect(await (await control.send("pace")).json()).toMatchObject({ pace: { eventsPerSecond: 50 } });
    await control.clearPace();
    expect(await (await control.send("pace")).json()).toEqual({ pace: null });
    await control.pace({ eventsPerSecond: 5, events: 5 });
    await control.reset();
    expect(emulator.state.pace).toBeUndefined();
  });

  it.for([
    [{ eventsPerSecond: 50 }, "events"],
    [{ eventsPerSecond: 0, events: 10 }, "eventsPerSecond"],
    [{ eventsPerSecond: 10, events: 10, operation: "Converse" }, "operation"],
    [{ eventsPerSecond: 10, events: 10, burst: true }, "burst"],
  ] as const)("refuses %j naming the field", async ([body, field], { control }) => {
    const response = await control.send("pace", body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(field);
  });
});

describe("paced ConverseStream", () => {
  it("delivers `events` one-word deltas, no faster than the rate", async ({ client, emulator, control }) => {
    await control.pace({ eventsPerSecond: 100, events: 20, count: 1 });
    const { deltas, elapsedMs } = await converseDeltas(client, "pace me");
    expect(deltas).toHaveLength(20);
    expect(deltas.every((d) => d.trim().split(" ").length === 1)).toBe(true);
    expect(deltas.join("")).toBe(
      "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog. The quick",
    );
    // Delta k leaves at start + k / 100 s: the 20th no sooner than 190 ms after the first.
    expect(elapsedMs).toBeGreaterThanOrEqual(189);
    expect(emulator.state.pace).toBeUndefined();
    const unpaced = await converseDeltas(client, "one two three four five six seven");
    expect(unpaced.deltas.length).toBeLessThan(5);
  });

  it("paces a scripted reply word by word, cycling it to `events` when given", async ({ client, control }) => {
    await control.respond([
      { text: "alpha beta gamma", pace: { eventsPerSecond: 1000 } },
      { text: "one two", pace: { eventsPerSecond: 1000, events: 5 } },
    ]);
    expect((await converseDeltas(client, "x")).deltas).toEqual(["alpha ", "beta ", "gamma"]);
    expect((await converseDeltas(client, "x")).deltas).toEqual(["one ", "two ", "one ", "two ", "one"]);
  });

  it("keeps the rate for many concurrent streams", async ({ client, control }) => {
    await control.pace({ eventsPerSecond: 200, events: 10 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => converseDeltas(client, `stream ${i}`)));
    for (const { deltas, elapsedMs } of results) {
      expect(deltas).toHaveLength(10);
      expect(elapsedMs).toBeGreaterThanOrEqual(44);
    }
  });

  it("stops producing when the client leaves, and records it", async ({ client, emulator, control }) => {
    await control.pace({ eventsPerSecond: 20, events: 1000 });
    const abort = new AbortController();
    const res = await client.send(new ConverseStreamCommand(ask("leave early")), { abortSignal: abort.signal });
    let seen = 0;
    await (async () => {
      for await (const event of res.stream ?? []) {
        if (event.contentBlockDelta) seen += 1;
        if (seen === 3) abort.abort();
      }
    })().catch(() => undefined);
    expect(seen).toBe(3);
    await vi.waitFor(() => expect(emulator.state.requests.at(-1)?.clientClosed).toBe(true));
  });
});

describe("paced InvokeModelWithResponseStream", () => {
  it("paces Anthropic text deltas, and a rule for one operation leaves the other alone", async ({
    client,
    control,
  }) => {
    await control.pace({ eventsPerSecond: 500, events: 12, operation: "InvokeModelWithResponseStream" });
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 512,
      messages: [{ role: "user", content: "go" }],
    };
    const res = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: SONNET_45_PROFILE, body: JSON.stringify(body) }),
    );
    const texts: string[] = [];
    for await (const event of res.body ?? []) {
      const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
      if (chunk.delta?.type === "text_delta") texts.push(chunk.delta.text);
    }
    expect(texts).toHaveLength(12);
    expect(texts[0]).toBe("The ");
    expect((await converseDeltas(client, "one two three four five six")).deltas.length).toBeLessThan(5);
  });

  it("stops early at max_tokens, like a real model", async ({ client, control }) => {
    await control.pace({ eventsPerSecond: 1000, events: 100 });
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 5,
      messages: [{ role: "user", content: "go" }],
    };
    const res = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: SONNET_45_PROFILE, body: JSON.stringify(body) }),
    );
    let stop: string | undefined;
    for await (const event of res.body ?? []) {
      const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
      stop = chunk.delta?.stop_reason ?? stop;
    }
    expect(stop).toBe("max_tokens");
  });
});

describe("the shared pacing timer", () => {
  it("wakes each sleeper no earlier than its deadline and leaves no abort listener behind", async () => {
    const abort = new AbortController();
    const start = performance.now();
    const woken = await Promise.all(
      [30, 10, 20, 10].map(async (ms) => {
        await sleepUntil(start + ms, abort.signal);
        return performance.now() - start >= ms - 1;
      }),
    );
    expect(woken).toEqual([true, true, true, true]);
    expect(getEventListeners(abort.signal, "abort")).toHaveLength(0);
  });

  it("lets an aborted sleeper go at once", async () => {
    const abort = new AbortController();
    const sleeping = sleepUntil(performance.now() + 60_000, abort.signal);
    abort.abort();
    await sleeping;
    expect(abort.signal.aborted).toBe(true);
  });
});
