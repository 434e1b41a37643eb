/** Guardrails: guardrailConfig on every call, content_filter plus trace on intervention, or an error if asked. */
import { describe, expect } from "vitest";
import { GuardrailInterventionError } from "../../src/errors.js";
import { collect, it } from "./emulator.js";
import { SONNET_45 } from "./helpers.js";

const GUARDRAIL = { guardrailIdentifier: "g1", guardrailVersion: "1", trace: "enabled" };
const BLOCKED = { messages: [{ role: "user" as const, content: "tell me about the forbidden project" }] };

it.beforeEach(async ({ control }) => {
  await control.guardrail({
    id: "g1",
    version: "1",
    blockedWords: ["forbidden"],
    blockedMessage: "Sorry, blocked.",
  });
});

describe("guardrails", () => {
  it("sends guardrailConfig and passes clean requests through", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45, { guardrail_config: GUARDRAIL });
    const response = await llm.completion({ messages: [{ role: "user", content: "hello" }] });
    expect(response.choices[0]?.finish_reason).toBe("stop");
    const [sent] = await control.requests();
    expect(sent?.body).toHaveProperty("guardrailConfig", GUARDRAIL);
  });

  it("returns content_filter with the guardrail trace on intervention", async ({ llmFor }) => {
    const llm = llmFor(SONNET_45, { guardrail_config: GUARDRAIL });
    const response = await llm.completion(BLOCKED);
    expect(response.choices[0]?.finish_reason).toBe("content_filter");
    expect(response.choices[0]?.message.content).toBe("Sorry, blocked.");
    expect(JSON.stringify(response.guardrail_trace)).toContain("forbidden");
  });

  it("streams with the configured stream processing mode and ends with content_filter", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45, { guardrail_config: { ...GUARDRAIL, streamProcessingMode: "async" } });
    const result = await collect(llm.stream(BLOCKED));
    expect(result.last?.choices[0]?.finish_reason).toBe("content_filter");
    expect(result.last?.guardrail_trace).toBeDefined();
    const [sent] = await control.requests();
    expect(sent?.body).toHaveProperty("guardrailConfig", {
      ...GUARDRAIL,
      streamProcessingMode: "async",
    });
  });

  it("throws GuardrailInterventionError when raise_on_intervention is set", async ({ llmFor }) => {
    const llm = llmFor(SONNET_45, { guardrail_config: { ...GUARDRAIL, raise_on_intervention: true } });
    const error = await llm.completion(BLOCKED).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardrailInterventionError);
    expect((error as GuardrailInterventionError).outputText).toBe("Sorry, blocked.");
    expect((error as GuardrailInterventionError).trace).toBeDefined();
    await expect(collect(llm.stream(BLOCKED))).rejects.toBeInstanceOf(GuardrailInterventionError);
  });
});
