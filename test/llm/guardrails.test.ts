/** Guardrails: guardrailConfig on every call, content_filter plus trace on intervention, or an error if asked. */
import { beforeEach, describe, expect, it } from "vitest";
import { GuardrailInterventionError } from "../../src/errors.js";
import { collect, useEmulator } from "./emulator.js";
import { SONNET_45 } from "./helpers.js";

const bedrock = useEmulator();
const GUARDRAIL = { guardrailIdentifier: "g1", guardrailVersion: "1", trace: "enabled" };
const BLOCKED = { messages: [{ role: "user" as const, content: "tell me about the forbidden project" }] };

beforeEach(async () => {
  await bedrock.control("guardrails", {
    id: "g1",
    version: "1",
    blockedWords: ["forbidden"],
    blockedMessage: "Sorry, blocked.",
  });
});

describe("guardrails", () => {
  it("sends guardrailConfig and passes clean requests through", async () => {
    const llm = bedrock.llm(SONNET_45, { guardrail_config: GUARDRAIL });
    const response = await llm.completion({ messages: [{ role: "user", content: "hello" }] });
    expect(response.choices[0]?.finish_reason).toBe("stop");
    const [sent] = await bedrock.requests();
    expect(sent?.body).toHaveProperty("guardrailConfig", GUARDRAIL);
  });

  it("returns content_filter with the guardrail trace on intervention", async () => {
    const llm = bedrock.llm(SONNET_45, { guardrail_config: GUARDRAIL });
    const response = await llm.completion(BLOCKED);
    expect(response.choices[0]?.finish_reason).toBe("content_filter");
    expect(response.choices[0]?.message.content).toBe("Sorry, blocked.");
    expect(JSON.stringify(response.guardrail_trace)).toContain("forbidden");
  });

  it("streams with the configured stream processing mode and ends with content_filter", async () => {
    const llm = bedrock.llm(SONNET_45, { guardrail_config: { ...GUARDRAIL, streamProcessingMode: "async" } });
    const result = await collect(llm.stream(BLOCKED));
    expect(result.last?.choices[0]?.finish_reason).toBe("content_filter");
    expect(result.last?.guardrail_trace).toBeDefined();
    const [sent] = await bedrock.requests();
    expect(sent?.body).toHaveProperty("guardrailConfig", {
      ...GUARDRAIL,
      streamProcessingMode: "async",
    });
  });

  it("throws GuardrailInterventionError when raise_on_intervention is set", async () => {
    const llm = bedrock.llm(SONNET_45, { guardrail_config: { ...GUARDRAIL, raise_on_intervention: true } });
    const error = await llm.completion(BLOCKED).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardrailInterventionError);
    expect((error as GuardrailInterventionError).outputText).toBe("Sorry, blocked.");
    expect((error as GuardrailInterventionError).trace).toBeDefined();
    await expect(collect(llm.stream(BLOCKED))).rejects.toBeInstanceOf(GuardrailInterventionError);
  });
});
