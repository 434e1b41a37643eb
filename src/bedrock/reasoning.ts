/**
 * reasoning_effort / thinking_budget_tokens -> what the model generation accepts. Adaptive models take
 * `thinking: {type: "adaptive"}` plus outputConfig.effort; manual ones (Claude 3.7, 4, 4.5) take
 * `thinking: {type: "enabled", budget_tokens}`, with the effort mapped to the budgets below.
 */
import type { DocumentType } from "@smithy/types";
import type { ReasoningEffort } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";

/** Budget (tokens) per effort on manual-thinking models: documented in docs/LLM.md. */
export const THINKING_BUDGETS: Record<ReasoningEffort, number> = {
  low: 2_048,
  medium: 8_192,
  high: 16_384,
  xhigh: 32_768,
  max: 49_152,
};
/** Bedrock's smallest budget. */
const MIN_BUDGET = 1_024;
/** Room left for the answer when max_tokens has to grow to fit the thinking budget. */
const ANSWER_ROOM = 4_096;

export interface ReasoningPlan {
  /** Thinking is on for this call. */
  enabled: boolean;
  additionalModelRequestFields?: { thinking: DocumentType };
  effort?: ReasoningEffort;
  maxTokens: number;
  /** Note for the caller (e.g. a budget an adaptive model ignores). */
  note?: string;
}

export function planReasoning(
  effort: ReasoningEffort | undefined,
  budget: number | undefined,
  info: ModelInfo,
  maxTokens: number,
): ReasoningPlan {
  if (effort === undefined && budget === undefined) return { enabled: false, maxTokens };
  switch (info.thinking) {
    case "none":
      throw new ValidationError(
        `${info.name} (${info.id}) has no extended thinking: remove reasoning_effort and thinking_budget_tokens, or choose a model that reasons.`,
      );
    case "adaptive":
    case "adaptive_only": {
      const plan: ReasoningPlan = {
        enabled: true,
        additionalModelRequestFields: { thinking: { type: "adaptive" } },
        maxTokens,
      };
      if (effort && info.effort) plan.effort = effort;
      if (budget !== undefined && effort === undefined) {
        plan.note = `${info.name} uses adaptive thinking: thinking_budget_tokens is ignored; set reasoning_effort to steer it.`;
      }
      return plan;
    }
    case "manual":
      return manualPlan(budget ?? THINKING_BUDGETS[effort ?? "medium"], info, maxTokens);
  }
}

/** budget_tokens must stay below max_tokens: max_tokens grows (within the model's limit) or the budget shrinks. */
function manualPlan(wanted: number, info: ModelInfo, requestedMaxTokens: number): ReasoningPlan {
  let budget = Math.max(MIN_BUDGET, wanted);
  let maxTokens = requestedMaxTokens;
  if (budget >= maxTokens) maxTokens = Math.min(info.maxOutputTokens, budget + ANSWER_ROOM);
  if (budget >= maxTokens) budget = maxTokens - MIN_BUDGET;
  if (budget < MIN_BUDGET) {
    throw new ValidationError(
      `${info.name} needs max_tokens above ${2 * MIN_BUDGET} for extended thinking (budget_tokens >= ${MIN_BUDGET}).`,
    );
  }
  return {
    enabled: true,
    additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: budget } },
    maxTokens,
  };
}
