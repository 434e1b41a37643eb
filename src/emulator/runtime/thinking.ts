/**
 * Extended / adaptive thinking per model generation, effort levels, and the signatures that let the emulator
 * recognise its own reasoning blocks when a client sends them back.
 */
import { createHmac, randomBytes } from "node:crypto";
import { INTERLEAVED_THINKING } from "./anthropic-betas.js";
import { constraint, modelValidation, validation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import { type ContentBlock, type ConverseBody, isRecord } from "./shapes.js";

export const MIN_BUDGET_TOKENS = 1024;
export const EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;
const DOCS = "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

export interface ThinkingPlan {
  mode: "off" | "enabled" | "adaptive";
  budgetTokens?: number;
  effort?: string;
}

function adaptiveOnly(type: string): Error {
  return validation(
    `"thinking.type.${type}" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`,
  );
}

/** Reads thinking + effort from the request and refuses what the model's generation does not accept. */
function extraOf(body: ConverseBody): Record<string, unknown> {
  return isRecord(body.additionalModelRequestFields) ? body.additionalModelRequestFields : {};
}

export function planThinking(body: ConverseBody, spec: ModelSpec): ThinkingPlan {
  const extra = extraOf(body);
  const plan: ThinkingPlan = { mode: thinkingMode(extra.thinking, body, spec) };
  if (plan.mode === "enabled" && isRecord(extra.thinking)) plan.budgetTokens = extra.thinking.budget_tokens as number;
  const nativeEffort = isRecord(extra.output_config) ? extra.output_config.effort : undefined;
  const effort = body.outputConfig?.effort ?? nativeEffort;
  if (effort !== undefined) {
    if (!spec.effort) {
      throw validation(
        "This model doesn't support the outputConfig.effort field. Remove outputConfig.effort and try again.",
      );
    }
    if (typeof effort !== "string" || !(EFFORTS as readonly string[]).includes(effort)) {
      throw constraint(effort, "outputConfig.effort", `Member must satisfy enum value set: [${EFFORTS.join(", ")}]`);
    }
    if ((effort === "xhigh" || effort === "max") && plan.mode === "off") {
      throw modelValidation(`output_config.effort: '${effort}' requires thinking to be enabled.`);
    }
    plan.effort = effort;
  }
  if (plan.mode !== "off") checkCompatibility(body, extra);
  return plan;
}

function thinkingMode(thinking: unknown, body: ConverseBody, spec: ModelSpec): ThinkingPlan["mode"] {
  if (thinking === undefined) return "off";
  if (spec.thinking === "none") throw modelValidation("thinking: Extra inputs are not permitted");
  const type = isRecord(thinking) ? thinking.type : undefined;
  if (type === "disabled") {
    if (spec.thinking === "adaptive_only") throw adaptiveOnly("disabled");
    return "off";
  }
  if (type === "adaptive") {
    if (spec.thinking === "manual") {
      throw modelValidation(
        "thinking.type: Input tag 'adaptive' found using 'type' does not match any of the expected tags: 'disabled', 'enabled'",
      );
    }
    return "adaptive";
  }
  if (type === "enabled") {
    if (spec.thinking === "adaptive_only") throw adaptiveOnly("enabled");
    const budget = isRecord(thinking) ? thinking.budget_tokens : undefined;
    if (budget === undefined) throw modelValidation("thinking.enabled.budget_tokens: Field required");
    if (!Number.isInteger(budget))
      throw modelValidation("thinking.enabled.budget_tokens: Input should be a valid integer");
    if ((budget as number) < MIN_BUDGET_TOKENS) {
      throw modelValidation(
        `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_BUDGET_TOKENS}`,
      );
    }
    const maxTokens = body.inferenceConfig?.maxTokens ?? spec.maxOutputTokens;
    // With interleaved thinking the budget spans the whole turn, so it may exceed max_tokens.
    const betas = extraOf(body).anthropic_beta;
    const interleaved = Array.isArray(betas) && betas.includes(INTERLEAVED_THINKING);
    if ((budget as number) >= maxTokens && !interleaved) {
      throw modelValidation(
        `\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${DOCS}#max-tokens-and-context-window-size`,
      );
    }
    return "enabled";
  }
  if (type === undefined) throw modelValidation("thinking.type: Field required");
  throw modelValidation(
    `thinking.type: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'`,
  );
}

function checkCompatibility(body: ConverseBody, extra: Record<string, unknown>): void {
  const { temperature, topP } = body.inferenceConfig ?? {};
  if (temperature !== undefined && temperature !== 1) {
    throw modelValidation(
      `\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at ${DOCS}#feature-compatibility`,
    );
  }
  if (topP !== undefined && topP < 0.95) {
    throw modelValidation(
      `\`top_p\` must be greater than or equal to 0.95 or unset when thinking is enabled. Please consult our documentation at ${DOCS}#feature-compatibility`,
    );
  }
  if (extra.top_k !== undefined) {
    throw modelValidation(
      `\`top_k\` must be unset when thinking is enabled. Please consult our documentation at ${DOCS}#feature-compatibility`,
    );
  }
  const choice = body.toolConfig?.toolChoice;
  if (choice?.any || choice?.tool)
    throw modelValidation("Thinking may not be enabled when tool_choice forces tool use.");
}

export function signReasoning(text: string, key: Buffer): string {
  return createHmac("sha256", key).update(text).digest("base64");
}

const REDACTED_NONCE_BYTES = 24;
const REDACTED_MAC_BYTES = 16;

/**
 * Opaque data of a redacted reasoning block: a random nonce and its HMAC under the emulator's key, base64, so a
 * block sent back can be recognised as the emulator's own (and a tampered one refused).
 */
export function redactedReasoningData(key: Buffer): string {
  const nonce = randomBytes(REDACTED_NONCE_BYTES);
  const mac = createHmac("sha256", key).update("redacted").update(nonce).digest().subarray(0, REDACTED_MAC_BYTES);
  return Buffer.concat([nonce, mac]).toString("base64");
}

function isOwnRedactedData(data: string, key: Buffer): boolean {
  const bytes = Buffer.from(data, "base64");
  if (bytes.length !== REDACTED_NONCE_BYTES + REDACTED_MAC_BYTES) return false;
  const nonce = bytes.subarray(0, REDACTED_NONCE_BYTES);
  const mac = createHmac("sha256", key).update("redacted").update(nonce).digest().subarray(0, REDACTED_MAC_BYTES);
  return mac.equals(bytes.subarray(REDACTED_NONCE_BYTES));
}

/**
 * Reasoning blocks sent back must carry the signature the emulator gave them. With thinking on, the assistant
 * turn that opened the current tool-use loop must start with its reasoning block.
 */
export function verifyReasoningHistory(body: ConverseBody, plan: ThinkingPlan, key: Buffer, spec?: ModelSpec): void {
  const messages = body.messages ?? [];
  messages.forEach((message, m) => {
    // Only Claude signs its reasoning; Nova's comes back redacted and unsigned.
    if (message.role !== "assistant" || (spec && spec.provider !== "anthropic")) return;
    (message.content ?? []).forEach((block, b) => {
      const redacted = block.reasoningContent?.redactedContent;
      if (redacted !== undefined && !isOwnRedactedData(redacted, key)) {
        throw modelValidation(`messages.${m}.content.${b}: Invalid \`data\` in \`redacted_thinking\` block`);
      }
      const reasoning = block.reasoningContent?.reasoningText;
      if (!reasoning) return;
      if (!reasoning.signature) throw modelValidation(`messages.${m}.content.${b}.thinking.signature: Field required`);
      if (reasoning.signature !== signReasoning(reasoning.text ?? "", key)) {
        throw modelValidation(`messages.${m}.content.${b}: Invalid \`signature\` in \`thinking\` block`);
      }
    });
  });
  if (plan.mode === "off") return;
  const last = messages.length - 1;
  const lastUser = messages[last];
  const toolTurn = messages[last - 1];
  if (lastUser?.role !== "user" || !(lastUser.content ?? []).some((b) => b.toolResult)) return;
  const first = toolTurn?.content?.[0];
  if (!toolTurn || !first || first.reasoningContent) return;
  throw modelValidation(
    `messages.${last - 1}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blockType(first)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at ${DOCS}`,
  );
}

function blockType(block: ContentBlock): string {
  if (block.toolUse) return "tool_use";
  if (block.image) return "image";
  if (block.document) return "document";
  return "text";
}
