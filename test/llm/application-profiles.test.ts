/**
 * Application inference profile ARNs as `model`: the model behind the profile comes from GetInferenceProfile on
 * the control plane (aws_bedrock_endpoint), once per process, and capabilities, cache rules, prices and token
 * counting follow it; base_model still overrides; a profile that cannot be looked up is said so.
 */
import { describe, expect } from "vitest";
import type { ChatMessage } from "../../src/chat/index.js";
import { it, type LLMFor } from "./emulator.js";

const HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** An LLM for the profile ARN, with the emulator as the control-plane endpoint, and the warnings it gives. */
function profileLLM(llmFor: LLMFor, emulatorUrl: string, arn: string, extra: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  const llm = llmFor(arn, { aws_bedrock_endpoint: emulatorUrl, ...extra }, { onWarning: (w) => warnings.push(w) });
  return { llm, warnings };
}

const withImage: ChatMessage[] = [
  {
    role: "user",
    content: [
      { type: "image_url", image_url: { url: PNG } },
      { type: "text", text: "What is this?" },
    ],
  },
];

describe("application inference profiles", () => {
  it("resolve to their model through GetInferenceProfile: capabilities and prices follow it", async ({
    emulator,
    control,
    llmFor,
  }) => {
    const arn = await control.createInferenceProfile({ name: "team-a", copyFrom: `us.${HAIKU_45}` });
    const { llm, warnings } = profileLLM(llmFor, emulator.url, arn);
    // Haiku 4.5 takes images; an unresolved ARN would be assumed text-only and refused before sending.
    const reply = await llm.completion({ messages: withImage });
    expect(reply.choices[0]?.finish_reason).toBe("stop");
    const ops = (await control.requests()).map((r) => [r.operation, r.modelId ?? r.path]);
    expect(ops).toEqual([
      ["GetInferenceProfile", `/inference-profiles/${encodeURIComponent(arn)}`],
      ["Converse", arn],
    ]);
    expect(warnings).toContain(
      `application inference profile ${arn} ("team-a") runs ${HAIKU_45} (GetInferenceProfile)`,
    );
    // Haiku 4.5: $1 in, $5 out per 1M tokens.
    const expected = (reply.usage.prompt_tokens * 1 + reply.usage.completion_tokens * 5) / 1e6;
    expect(reply.cost).toBeCloseTo(expected, 12);
  });

  it("are looked up once per process, and counted as their base model", async ({ emulator, control, llmFor }) => {
    const arn = await control.createInferenceProfile({ name: "team-b", copyFrom: `us.${HAIKU_45}` });
    await profileLLM(llmFor, emulator.url, arn).llm.completion({ messages: [{ role: "user", content: "Hi" }] });
    const second = profileLLM(llmFor, emulator.url, arn).llm;
    await second.completion({ messages: [{ role: "user", content: "Hi again" }] });
    const count = await second.countTokens({ messages: [{ role: "user", content: "Hi again" }] });
    expect(count).toMatchObject({ source: "bedrock", model: HAIKU_45 });
    const ops = (await control.requests()).map((r) => r.operation);
    expect(ops).toEqual(["GetInferenceProfile", "Converse", "Converse", "CountTokens"]);
  });

  it("base_model still overrides: no lookup", async ({ emulator, control, llmFor }) => {
    const arn = await control.createInferenceProfile({ name: "team-c", copyFrom: `us.${HAIKU_45}` });
    await profileLLM(llmFor, emulator.url, arn, { base_model: HAIKU_45 }).llm.completion({ messages: withImage });
    expect((await control.requests()).map((r) => r.operation)).toEqual(["Converse"]);
  });

  it("a profile that cannot be looked up is said so, and the call gets Bedrock's answer", async ({
    emulator,
    llmFor,
  }) => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzzzzzzzzzzz";
    const { llm, warnings } = profileLLM(llmFor, emulator.url, arn);
    await expect(llm.completion({ messages: [{ role: "user", content: "Hi" }] })).rejects.toThrow(
      "The provided model identifier is invalid",
    );
    expect(warnings[0]).toMatch(
      new RegExp(`^application inference profile ${arn} could not be resolved \\(ResourceNotFoundException: `),
    );
  });
});
