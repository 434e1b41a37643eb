/**
 * Amazon Nova's reasoning: `additionalModelRequestFields.reasoningConfig {type, maxReasoningEffort}`. Nova 2 takes
 * it and returns its reasoning redacted ("[REDACTED].", no signature); the first-generation Nova models refuse
 * any reasoningConfig; Claude models do not know the field. Messages as recorded from Bedrock
 * (amazon-bedrock-nova-micro-portable-reasoning.json, amazon-bedrock-nova-2-high-reasoning-*.json).
 */
import { constraint, modelValidation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import { type ContentBlock, type ConverseBody, isRecord } from "./shapes.js";

const EFFORTS = ["low", "medium", "high"];
export const REDACTED_REASONING: ContentBlock = { reasoningContent: { reasoningText: { text: "[REDACTED]." } } };

function reasonsOnNova(spec: ModelSpec): boolean {
  return spec.id.startsWith("amazon.nova-2-");
}

/** True when the reply should open with Nova's redacted reasoning block. */
export function planNovaReasoning(body: ConverseBody, spec: ModelSpec): boolean {
  const extra = isRecord(body.additionalModelRequestFields) ? body.additionalModelRequestFields : {};
  const config = extra.reasoningConfig;
  if (config === undefined) return false;
  if (spec.provider === "anthropic") throw modelValidation("reasoningConfig: Extra inputs are not permitted");
  if (spec.provider !== "amazon-nova") return false;
  if (!reasonsOnNova(spec) || !isRecord(config)) {
    throw modelValidation(
      "Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.",
    );
  }
  if (config.type === "disabled") return false;
  if (config.type !== "enabled") {
    throw constraint(config.type, "reasoningConfig.type", "Member must satisfy enum value set: [enabled, disabled]");
  }
  const effort = config.maxReasoningEffort ?? "low";
  if (typeof effort !== "string" || !EFFORTS.includes(effort)) {
    throw constraint(
      effort,
      "reasoningConfig.maxReasoningEffort",
      `Member must satisfy enum value set: [${EFFORTS.join(", ")}]`,
    );
  }
  if (effort === "high" && body.inferenceConfig?.maxTokens !== undefined) {
    throw modelValidation(
      "`maxTokens` must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'. Please consult our documentation at https://docs.aws.amazon.com/nova/latest/userguide",
    );
  }
  return true;
}
