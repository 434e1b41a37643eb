import { describe, expect, it } from "vitest";
import { converse, converseError, freshState, HAIKU_3, SONNET_45, userText } from "./runtime-helpers.js";

/** A system prompt of `tokens` tokens under the documented rule (4 characters per token). */
function longText(tokens: number, seed = "a"): string {
  return seed.repeat(tokens * 4);
}

function cachedRequest(systemTokens: number, question: string, ttl?: string) {
  return {
    system: [{ text: longText(systemTokens) }, { cachePoint: { type: "default", ...(ttl ? { ttl } : {}) } }],
    messages: [userText(question)],
  };
}

describe("prompt caching", () => {
  it("writes a prefix on first use, reads it on reuse, and expires it after its TTL", async () => {
    const state = freshState();
    let now = 1_000_000;
    state.now = () => now;
    const first = await converse(state, SONNET_45, cachedRequest(1500, "first question"));
    expect(first.usage.cacheWriteInputTokens).toBe(1500);
    expect(first.usage.cacheReadInputTokens).toBe(0);
    expect(first.usage.cacheDetails).toEqual([{ ttl: "5m", inputTokens: 1500 }]);
    // rest: 3 (message) + ceil(14 / 4) = 4
    expect(first.usage.inputTokens).toBe(7);

    now += 4 * 60_000;
    const second = await converse(state, SONNET_45, cachedRequest(1500, "second question!"));
    expect(second.usage.cacheReadInputTokens).toBe(1500);
    expect(second.usage.cacheWriteInputTokens).toBe(0);
    expect(second.usage.inputTokens).toBe(7);
    expect(second.usage.totalTokens).toBe(
      second.usage.inputTokens + second.usage.outputTokens + second.usage.cacheReadInputTokens,
    );

    // The read refreshed the entry: 4 more minutes is still inside 5 minutes of the last use.
    now += 4 * 60_000;
    expect((await converse(state, SONNET_45, cachedRequest(1500, "q"))).usage.cacheReadInputTokens).toBe(1500);
    now += 5 * 60_000 + 1;
    const expired = await converse(state, SONNET_45, cachedRequest(1500, "q"));
    expect(expired.usage.cacheReadInputTokens).toBe(0);
    expect(expired.usage.cacheWriteInputTokens).toBe(1500);
  });

  it("keeps 1h entries for an hour", async () => {
    const state = freshState();
    let now = 0;
    state.now = () => now;
    await converse(state, SONNET_45, cachedRequest(1500, "q", "1h"));
    now += 59 * 60_000;
    expect((await converse(state, SONNET_45, cachedRequest(1500, "q", "1h"))).usage.cacheReadInputTokens).toBe(1500);
  });

  it("reads the longest cached prefix and writes the rest up to the last cache point", async () => {
    const state = freshState();
    await converse(state, SONNET_45, cachedRequest(1500, "q"));
    const res = await converse(state, SONNET_45, {
      system: [{ text: longText(1500) }, { cachePoint: { type: "default" } }],
      messages: [
        {
          role: "user",
          content: [{ text: longText(2000, "b") }, { cachePoint: { type: "default" } }, { text: "tail" }],
        },
      ],
    });
    expect(res.usage.cacheReadInputTokens).toBe(1500);
    expect(res.usage.cacheWriteInputTokens).toBe(2003);
    expect(res.usage.inputTokens).toBe(1);
  });

  it("does not cache a prefix below the model's minimum, and the prefix depends on the model", async () => {
    const state = freshState();
    const small = await converse(state, SONNET_45, cachedRequest(1000, "q"));
    expect(small.usage.cacheWriteInputTokens).toBe(0);
    expect(small.usage.inputTokens).toBe(1004);
    await converse(state, SONNET_45, cachedRequest(1500, "q"));
    const other = await converse(state, "us.anthropic.claude-3-7-sonnet-20250219-v1:0", cachedRequest(1500, "q"));
    expect(other.usage.cacheReadInputTokens).toBe(0);
    expect(other.usage.cacheWriteInputTokens).toBe(1500);
  });

  it("refuses more than 4 cache points, 1h after 5m, and models without caching", async () => {
    const cp = { cachePoint: { type: "default" } };
    const five = await converseError(freshState(), SONNET_45, {
      system: [{ text: "a" }, cp, { text: "b" }, cp, { text: "c" }, cp, { text: "d" }, cp, { text: "e" }, cp],
      messages: [userText("q")],
    });
    expect(five.message).toBe(
      "The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found 5.",
    );
    const order = await converseError(freshState(), SONNET_45, {
      system: [{ text: "a" }, cp, { text: "b" }, { cachePoint: { type: "default", ttl: "1h" } }],
      messages: [userText("q")],
    });
    expect(order.message).toContain("a ttl='1h' cache point must not come after a ttl='5m' cache point");
    const oldModel = await converseError(
      freshState(),
      "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      cachedRequest(1500, "q", "1h"),
    );
    expect(oldModel.message).toContain("doesn't support the ttl value 1h at system.1.cachePoint.ttl");
    const unsupported = await converseError(freshState(), HAIKU_3, {
      system: [{ text: "a" }, cp],
      messages: [userText("q")],
    });
    expect(unsupported.errorName).toBe("ValidationException");
    expect(unsupported.message).toContain("doesn't support the cachePoint field");
  });
});
