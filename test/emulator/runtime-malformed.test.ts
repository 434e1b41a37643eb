import { describe, expect, it } from "vitest";
import { handleRuntime } from "../../src/emulator/runtime/index.js";
import { EmulatorError, type RuntimeOperation } from "../../src/emulator/types.js";
import { CLAUDE_37, call, freshState, SONNET_45, TITAN } from "./runtime-helpers.js";

/** Bodies of the wrong shape must be refused as Bedrock refuses them (4xx), never crash the runtime (500). */
const MALFORMED: unknown[] = [
  null,
  [],
  "text",
  { messages: "hi" },
  { messages: [null] },
  { messages: [{ role: "user", content: [null] }] },
  { messages: [{ role: "user", content: "hi" }] },
  { messages: [{ role: "user", content: [{ text: "a" }] }], system: [null] },
  { messages: [{ role: "user", content: [{ text: "a" }] }], system: "be brief" },
  { messages: [{ role: "user", content: [{ text: "a" }] }], toolConfig: { tools: [null] } },
  { messages: [{ role: "user", content: [{ text: "a" }] }], toolConfig: { tools: "f" } },
  { messages: [{ role: "user", content: [{ text: "a" }] }], inferenceConfig: { maxTokens: "10" } },
  { messages: [{ role: "user", content: [{ text: "a" }] }], inferenceConfig: { stopSequences: "x" } },
  { messages: [{ role: "user", content: [{ text: "a" }] }], additionalModelRequestFields: { thinking: "on" } },
  { messages: [{ role: "user", content: [{ text: "a" }] }], outputConfig: { textFormat: { type: "json_schema" } } },
  { messages: [{ role: "user", content: [{ text: "a" }] }], guardrailConfig: { guardrailIdentifier: 5 } },
  { messages: [{ role: "user", content: [{ toolResult: { toolUseId: "x", content: "r" } }] }] },
  { messages: [{ role: "user", content: [{ image: { format: "png" } }] }] },
];

const OPERATIONS: [RuntimeOperation, string][] = [
  ["Converse", SONNET_45],
  ["ConverseStream", SONNET_45],
  ["InvokeModel", CLAUDE_37],
  ["InvokeModel", TITAN],
  ["CountTokens", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
  ["ApplyGuardrail", ""],
];

describe("malformed bodies", () => {
  it.each(OPERATIONS)("%s (%s) answers 4xx errors, never a crash", async (operation, modelId) => {
    const state = freshState();
    state.guardrails.set("g:1", { id: "g", version: "1", blockedWords: ["x"] });
    for (const body of MALFORMED) {
      const request = call(
        operation,
        modelId || undefined,
        operation === "CountTokens" ? { input: { converse: body } } : body,
      );
      const guarded =
        operation === "ApplyGuardrail" ? { ...request, guardrailIdentifier: "g", guardrailVersion: "1" } : request;
      const outcome = await handleRuntime(guarded, state).then(
        () => "accepted",
        (error: unknown) => error,
      );
      if (outcome === "accepted") continue;
      expect(outcome, JSON.stringify(body)).toBeInstanceOf(EmulatorError);
      expect((outcome as EmulatorError).status, JSON.stringify(body)).toBeLessThan(500);
    }
  });
});
