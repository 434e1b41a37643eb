/**
 * A call's `ready` option: the call prepares its request while `ready` is pending and sends it once `ready`
 * resolves; when `ready` rejects, nothing reaches Bedrock and the call fails with that rejection, unchanged, on
 * every kind of call (completion, stream, native Anthropic, its count, embeddings, countTokens). A speculative call
 * is sent at once and answers nothing before `ready` resolves.
 */
import { describe, expect, vi } from "vitest";
import type { LLM } from "../../src/llm/index.js";
import { collect, it } from "./emulator.js";
import { SONNET_45 } from "./helpers.js";

const TITAN_V2 = "amazon.titan-embed-text-v2:0";
const ASK = { messages: [{ role: "user" as const, content: "hello there" }] };
const NATIVE = { max_tokens: 64, messages: [{ role: "user" as const, content: "hello there" }] };

async function drain(events: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of events);
}

/** A rejection that belongs to the caller (a gateway's refusal, say). */
class Refused extends Error {}

/** A `ready` whose outcome the test decides. */
function gate() {
  let resolve = () => {};
  let reject = (_reason: unknown) => {};
  const ready = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { ready, resolve, reject };
}

describe("a call's ready option", () => {
  it("sends the request once ready resolves", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45);
    const held = gate();
    const answer = llm.completion({ ...ASK, ready: held.ready });
    expect(await control.requests()).toHaveLength(0);
    held.resolve();
    expect((await answer).choices[0]?.message.content).toBe("Echo: hello there");
    expect(await control.requests("Converse")).toHaveLength(1);
  });

  const calls: [string, (llm: LLM, ready: Promise<void>) => Promise<unknown>][] = [
    ["completion", (llm, ready) => llm.completion({ ...ASK, ready })],
    ["stream", (llm, ready) => collect(llm.stream({ ...ASK, ready }))],
    ["invokeAnthropic", (llm, ready) => llm.invokeAnthropic(NATIVE, { ready })],
    ["streamAnthropic", (llm, ready) => drain(llm.streamAnthropic(NATIVE, { ready }))],
    ["countAnthropicTokens", (llm, ready) => llm.countAnthropicTokens(NATIVE, { ready })],
    ["countTokens", (llm, ready) => llm.countTokens({ ...ASK, ready })],
    ["embed", (llm, ready) => llm.embed({ model: `bedrock/${TITAN_V2}`, input: "hello", ready })],
  ];

  for (const [name, call] of calls) {
    it(`${name}: a rejected ready fails the call with that rejection, and nothing is sent`, async ({
      llmFor,
      control,
    }) => {
      const llm = llmFor(SONNET_45);
      const held = gate();
      const refusal = new Refused("over the limit");
      const answer = call(llm, held.ready);
      held.reject(refusal);
      await expect(answer).rejects.toBe(refusal);
      expect(await control.requests()).toHaveLength(0);
    });
  }

  it("speculative: sends at once, and answers only once ready resolves", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45);
    const held = gate();
    let answered = false;
    const answer = llm.completion({ ...ASK, ready: held.ready, speculative: true }).then((completion) => {
      answered = true;
      return completion;
    });
    await vi.waitFor(async () => expect(await control.requests("Converse")).toHaveLength(1));
    await new Promise((turn) => setImmediate(turn)); // the reply is in; the completion is still held
    expect(answered).toBe(false);
    held.resolve();
    expect((await answer).choices[0]?.message.content).toBe("Echo: hello there");
  });

  it("speculative, then rejected: the stream fails with the rejection, before any event", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(SONNET_45);
    const held = gate();
    const refusal = new Refused("over the limit");
    const events: unknown[] = [];
    const streaming = (async () => {
      for await (const chunk of llm.stream({ ...ASK, ready: held.ready, speculative: true })) events.push(chunk);
    })();
    await vi.waitFor(async () => expect(await control.requests("ConverseStream")).toHaveLength(1));
    held.reject(refusal);
    await expect(streaming).rejects.toBe(refusal);
    expect(events).toHaveLength(0);
  });
});
