/**
 * JavaScript callers can pass anything. Ill-typed requests get the library's ValidationError naming the field
 * (not a TypeError from deep inside) before anything is sent; any request ends in a reply or a BedrockLLMError,
 * and the caller's request object is left as it was.
 */
import fc from "fast-check";
import { describe, expect } from "vitest";
import { BedrockLLMError, ValidationError } from "../../src/errors.js";
import type { ChatCompletionRequest } from "../../src/llm/types.js";
import { collect, it } from "./emulator.js";
import { HAIKU_3 } from "./helpers.js";

const MESSAGES = [{ role: "user", content: "hello" }];

/** [what, request, a text the error message must contain] */
const CASES: [string, unknown, string][] = [
  ["null", null, "request must be an object"],
  ["undefined", undefined, "request must be an object"],
  ["a string", "hello", "request must be an object"],
  ["an array", [{ role: "user", content: "hello" }], "request must be an object"],
  ["messages a string", { messages: "hello" }, "messages must be an array"],
  ["messages missing", {}, "messages must be an array"],
  ["messages an object", { messages: { role: "user", content: "hello" } }, "messages must be an array"],
  ["model a number", { messages: MESSAGES, model: 5 }, "model must be a string, not a number"],
  ["tools an object", { messages: MESSAGES, tools: {} }, "tools must be an array"],
  ["tools [1]", { messages: MESSAGES, tools: [1] }, "tools[0] must be"],
  ["a tool without a name", { messages: MESSAGES, tools: [{ type: "function", function: {} }] }, "tools[0] must be"],
  ["tool_choice a number", { messages: MESSAGES, tool_choice: 5 }, "tool_choice must be"],
  ["tool_choice naming nothing", { messages: MESSAGES, tool_choice: { type: "function" } }, "tool_choice must name"],
  ["max_tokens a string", { messages: MESSAGES, max_tokens: "100" }, "max_tokens must be a finite number"],
  ["temperature NaN", { messages: MESSAGES, temperature: Number.NaN }, "temperature must be a finite number, not NaN"],
  ["timeout a string", { messages: MESSAGES, timeout: "5" }, "timeout must be a finite number"],
  ["stop a number", { messages: MESSAGES, stop: 5 }, "stop must be"],
  ["stop [1]", { messages: MESSAGES, stop: [1] }, "stop must be"],
  ["signal a string", { messages: MESSAGES, signal: "stop" }, "signal must be an AbortSignal"],
  ["response_format a string", { messages: MESSAGES, response_format: "json" }, "response_format must be"],
  ["json_schema missing", { messages: MESSAGES, response_format: { type: "json_schema" } }, "json_schema needs"],
  ["reasoning_effort a number", { messages: MESSAGES, reasoning_effort: 3 }, "reasoning_effort must be a string"],
];

describe("ill-typed requests", () => {
  it.for(CASES)(
    "%s: ValidationError naming the field, from completion() and stream()",
    async ([_what, request, text], { llmFor, control }) => {
      const llm = llmFor(HAIKU_3);
      const asCaller = request as ChatCompletionRequest;
      for (const run of [() => llm.completion(asCaller), () => collect(llm.stream(asCaller))]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as Error).message).toContain(text);
      }
      expect(await control.requests()).toEqual([]);
    },
  );
});

/** Any value, including the ones JSON cannot hold. */
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, () => 1, Symbol("s")),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);
const text = fc.string({ minLength: 1, maxLength: 20 });
const wellTyped = fc.record(
  {
    messages: fc.array(fc.record({ role: fc.constantFrom("user", "assistant", "system"), content: text }), {
      minLength: 1,
      maxLength: 3,
    }),
    model: fc.constantFrom(HAIKU_3, `bedrock/${HAIKU_3}`),
    tools: fc.array(
      fc.record({ type: fc.constant("function"), function: fc.record({ name: fc.stringMatching(/^[a-z_]{1,12}$/) }) }),
      { maxLength: 2 },
    ),
    tool_choice: fc.constantFrom("auto", "none", "required"),
    max_tokens: fc.integer({ min: 1, max: 50 }),
    temperature: fc.double({ min: 0, max: 1, noNaN: true }),
    stop: fc.array(text, { maxLength: 2 }),
    timeout: fc.integer({ min: 5, max: 60 }),
  },
  { requiredKeys: ["messages"] },
);
const NONE = Symbol("none");
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | typeof NONE> {
  return fc.oneof({ arbitrary: fc.constant(NONE), weight: 4 }, { arbitrary, weight: 1 });
}
const FIELDS = ["messages", "model", "tools", "tool_choice", "max_tokens", "temperature", "top_p", "stop"] as const;
/** A well-typed request with up to two fields (or the whole request, or one message) replaced by anything. */
const request = fc.oneof(
  { arbitrary: anyValue, weight: 1 },
  {
    arbitrary: fc
      .tuple(wellTyped, fc.array(fc.tuple(fc.constantFrom(...FIELDS), anyValue), { maxLength: 2 }), rarely(anyValue))
      .map(([base, swaps, odd]) => {
        const out: Record<string, unknown> = { ...base };
        for (const [field, value] of swaps) out[field] = value;
        if (odd !== NONE && Array.isArray(out.messages)) out.messages = [...out.messages, odd];
        return out;
      }),
    weight: 6,
  },
);

describe("any request", () => {
  it("ends in a reply or a BedrockLLMError, and leaves the caller's request as it was", async ({
    llmFor,
    emulator,
  }) => {
    const llm = llmFor(HAIKU_3, { num_retries: 0 });
    await fc.assert(
      fc.asyncProperty(request, fc.boolean(), async (input, streamed) => {
        const before = inspectable(input);
        const asCaller = input as ChatCompletionRequest;
        const outcome = await (streamed ? collect(llm.stream(asCaller)) : llm.completion(asCaller)).catch(
          (e: unknown) => e,
        );
        if (outcome instanceof Error) expect(outcome, String(outcome.stack)).toBeInstanceOf(BedrockLLMError);
        expect(inspectable(input)).toEqual(before);
      }),
      { numRuns: 150, seed: 20261128 },
    );
    // Whatever reached Bedrock was answered or refused, never a 5xx (issue 15: the emulator must not fail on it).
    const { requests } = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as {
      requests: { status?: number; operation: string }[];
    };
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => (r.status ?? 0) >= 500)).toEqual([]);
  });
});

/** A comparable copy of any value (functions and symbols by their text). */
function inspectable(value: unknown): unknown {
  if (typeof value === "function" || typeof value === "symbol") return String(value);
  if (Array.isArray(value)) return value.map(inspectable);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inspectable(v)]));
  }
  return value;
}
