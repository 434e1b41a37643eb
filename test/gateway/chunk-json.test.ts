// A stream's chat chunks serialised with the envelope written once: whatever the chunk, the text is exactly
// JSON.stringify's, whether it takes the template (the usual chunk) or not (any other shape).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../src/chat/index.js";
import { ChunkJson } from "../../src/gateway/chunk-json.js";

const text = fc.string({ unit: "binary", maxLength: 40 });
const delta = fc.oneof(
  fc.record({ content: text }),
  fc.record({ role: fc.constant("assistant"), content: text }),
  fc.record({ reasoning_content: text }),
  fc.record({ tool_calls: fc.array(fc.record({ index: fc.nat(3), function: fc.record({ arguments: text }) })) }),
  fc.constant({}),
  fc.object(),
);
const chunk = fc.record({
  id: fc.oneof(fc.constant("chatcmpl-1"), text),
  object: fc.constant("chat.completion.chunk"),
  created: fc.oneof(fc.integer(), fc.double()),
  model: fc.oneof(fc.constant("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), text),
  choices: fc.tuple(
    fc.record({
      index: fc.constant(0),
      delta,
      finish_reason: fc.constantFrom(null, "stop", "length", "tool_calls", "content_filter"),
      logprobs: fc.constant(null),
    }),
  ),
});

/** Shapes the template must leave to JSON.stringify: fields added, dropped or reordered, more choices. */
const reshaped = fc.tuple(chunk, fc.nat(5), fc.anything()).map(([c, how, value]) => {
  const choice = c.choices[0];
  switch (how) {
    case 0:
      return { ...c, usage: value };
    case 1:
      return Object.fromEntries(Object.entries(c).reverse());
    case 2:
      return { ...c, choices: [choice, { ...choice, index: 1 }] };
    case 3:
      return { ...c, choices: [{ ...choice, logprobs: value }] };
    case 4:
      return { ...c, choices: [{ delta: choice.delta, index: 0, finish_reason: null, logprobs: null }] };
    default:
      return { ...c, choices: [{ ...choice, finish_reason: value }] };
  }
});

describe("ChunkJson", () => {
  it("writes exactly what JSON.stringify writes, over one stream's chunks and across streams", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: chunk, weight: 4 }, { arbitrary: reshaped, weight: 1 })), (chunks) => {
        const json = new ChunkJson();
        for (const c of chunks) expect(json.of(c as ChatCompletionChunk)).toBe(JSON.stringify(c));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves a chunk with a toJSON of its own to JSON.stringify", () => {
    class Chunk {
      id = "c";
      object = "chat.completion.chunk";
      created = 1;
      model = "m";
      choices = [{ index: 0, delta: { content: "hi" }, finish_reason: null, logprobs: null }];
      toJSON() {
        return { replaced: true };
      }
    }
    const c = new Chunk() as unknown as ChatCompletionChunk;
    expect(new ChunkJson().of(c)).toBe('{"replaced":true}');
  });
});
