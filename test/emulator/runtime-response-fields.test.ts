/**
 * additionalModelResponseFieldPaths: the requested fields of the model's own response come back in
 * additionalModelResponseFields (Converse) and in messageStop (ConverseStream); malformed pointers are a 400.
 */
import { describe, expect, it } from "vitest";
import {
  converse,
  converseError,
  freshState,
  HAIKU_3,
  payloadsOf,
  streamEvents,
  TITAN,
  userText,
} from "./runtime-helpers.js";

const ask = (paths: unknown, extra: Record<string, unknown> = {}) => ({
  messages: [userText("one two three")],
  additionalModelResponseFieldPaths: paths,
  ...extra,
});

describe("additionalModelResponseFieldPaths", () => {
  it("returns the Anthropic body's stop_sequence, null when no stop sequence ended the reply", async () => {
    const body = await converse(freshState(), HAIKU_3, ask(["/stop_sequence"]));
    expect(body.additionalModelResponseFields).toEqual({ stop_sequence: null });
    const stopped = await converse(
      freshState(),
      HAIKU_3,
      ask(["/stop_sequence"], { inferenceConfig: { stopSequences: ["two"] } }),
    );
    expect(stopped.stopReason).toBe("stop_sequence");
    expect(stopped.additionalModelResponseFields).toEqual({ stop_sequence: "two" });
  });

  it("nests fields as their pointers do, several at once, and ignores fields the model did not return", async () => {
    const body = await converse(freshState(), HAIKU_3, ask(["/usage/output_tokens", "/stop_reason", "/nothing/here"]));
    expect(body.additionalModelResponseFields).toEqual({
      usage: { output_tokens: body.usage.outputTokens },
      stop_reason: "end_turn",
    });
    const none = await converse(freshState(), HAIKU_3, ask(["/nothing"]));
    expect(none.additionalModelResponseFields).toBeUndefined();
    const unasked = await converse(freshState(), HAIKU_3, { messages: [userText("hi")] });
    expect(unasked.additionalModelResponseFields).toBeUndefined();
  });

  it("resolves against the last native stream event on ConverseStream (Anthropic's message_delta)", async () => {
    const events = payloadsOf(await streamEvents(freshState(), HAIKU_3, ask(["/delta/stop_sequence"])));
    const stop = events.find((p) => p.stopReason !== undefined && p.usage === undefined);
    expect(stop).toEqual({ stopReason: "end_turn", additionalModelResponseFields: { delta: { stop_sequence: null } } });
  });

  it("works for other providers' native bodies (Titan's results)", async () => {
    const body = await converse(freshState(), TITAN, ask(["/results/0/completionReason"]));
    expect(body.additionalModelResponseFields).toEqual({ results: { "0": { completionReason: "FINISH" } } });
  });

  it("rejects malformed JSON pointers with a 400 before doing any work", async () => {
    for (const [paths, message] of [
      [
        [""],
        "Value at 'additionalModelResponseFieldPaths.0.member' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ],
      [
        ["/ok", "stop_sequence"],
        "The value 'stop_sequence' at additionalModelResponseFieldPaths.1 isn't a valid JSON Pointer.",
      ],
      [["/a~2b"], "isn't a valid JSON Pointer"],
      [Array.from({ length: 11 }, (_, i) => `/f${i}`), "Member must have length less than or equal to 10"],
      [
        "/stop_sequence",
        "Value at 'additionalModelResponseFieldPaths' failed to satisfy constraint: Member must be a list",
      ],
    ] as const) {
      const error = await converseError(freshState(), HAIKU_3, ask(paths));
      expect([paths, error.status, error.errorName]).toEqual([paths, 400, "ValidationException"]);
      expect(error.message).toContain(message);
    }
  });
});
