/**
 * One model call in Converse terms: validate everything first (Bedrock answers a bad request before doing any
 * work), then touch state (prompt cache, scripted replies) and produce the Turn that every renderer shares.
 */
import type { EmulatorState } from "../state.js";
import type { ScriptedResponse } from "../types.js";
import { applyPromptCache, validateCachePoints } from "./caching.js";
import { constraint } from "./errors.js";
import {
  type ActiveGuardrail,
  activeGuardrail,
  blockedInputMessage,
  blockedOutputMessage,
  blockedWordsIn,
  wordAssessment,
} from "./guardrails.js";
import { promptSegments, promptTokens } from "./prompt.js";
import { generateReply } from "./reply.js";
import type { ResolvedModel } from "./resolve.js";
import type { ContentBlock, ConverseBody, Turn } from "./shapes.js";
import { structuredSchema } from "./structured.js";
import { planThinking, verifyReasoningHistory } from "./thinking.js";
import { blockTokens } from "./tokens.js";
import { validateConverse } from "./validate.js";

const SERVICE_TIERS = ["default", "flex", "priority", "reserved"];
const LATENCIES = ["standard", "optimized"];

export function runConverse(raw: unknown, model: ResolvedModel, state: EmulatorState): Turn {
  const { spec } = model;
  const body = validateConverse(raw, spec);
  const segments = promptSegments(body);
  validateCachePoints(segments, spec);
  const plan = planThinking(body, spec);
  verifyReasoningHistory(body, plan, state.thinkingKey);
  const schema = structuredSchema(body, spec);
  const guardrail = activeGuardrail(body.guardrailConfig, state);
  const tiers = requestedTiers(body);

  const cache = applyPromptCache(segments, promptTokens(segments), spec, state);
  const maxTokens = body.inferenceConfig?.maxTokens ?? spec.maxOutputTokens;
  const turn: Turn = {
    content: [],
    stopReason: "end_turn",
    usage: {
      inputTokens: cache.inputTokens,
      outputTokens: 0,
      totalTokens: 0,
      cacheReadInputTokens: cache.cacheReadInputTokens,
      cacheWriteInputTokens: cache.cacheWriteInputTokens,
    },
    latencyMs: 0,
    ...tiers,
  };
  if (cache.cacheDetails.length > 0) turn.usage.cacheDetails = cache.cacheDetails;

  const inputMatches = guardrail ? blockedWordsIn(guardedInputText(body), guardrail.definition) : [];
  let script: ScriptedResponse | undefined;
  if (guardrail && inputMatches.length > 0) {
    turn.content = [{ text: blockedInputMessage(guardrail.definition) }];
    turn.stopReason = "guardrail_intervened";
  } else {
    script = takeScript(state, model);
    const reply = generateReply({ body, plan, schema, script, thinkingKey: state.thinkingKey, maxTokens });
    turn.content = reply.content;
    turn.stopReason = reply.stopReason;
    turn.stopSequence = reply.stopSequence;
  }
  if (guardrail) applyOutputGuardrail(turn, guardrail, inputMatches, guardedInputText(body).length);

  turn.usage.outputTokens = script?.usage?.outputTokens ?? turn.content.reduce((sum, b) => sum + blockTokens(b), 0);
  if (script?.usage?.inputTokens !== undefined) turn.usage.inputTokens = script.usage.inputTokens;
  const u = turn.usage;
  u.totalTokens = u.inputTokens + u.outputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens;
  turn.latencyMs = 50 + u.outputTokens;
  return turn;
}

/** Scripted replies are consumed in order; one bound to a model only serves calls to that model. */
function takeScript(state: EmulatorState, model: ResolvedModel): ScriptedResponse | undefined {
  const index = state.scripted.findIndex(
    (s) => s.modelId === undefined || s.modelId === model.requested || s.modelId === model.spec.id,
  );
  return index < 0 ? undefined : state.scripted.splice(index, 1)[0];
}

/** What a guardrail evaluates: guardContent blocks when the request marks some, else all user text. */
function guardedInputText(body: ConverseBody): string {
  const blocks = (body.messages ?? []).filter((m) => m.role === "user").flatMap((m) => m.content ?? []);
  const guarded = blocks.filter((b) => b.guardContent);
  const source: ContentBlock[] = guarded.length > 0 ? guarded : blocks;
  return source
    .map((b) => b.guardContent?.text?.text ?? b.text ?? "")
    .filter(Boolean)
    .join("\n");
}

function applyOutputGuardrail(
  turn: Turn,
  guardrail: ActiveGuardrail,
  inputMatches: string[],
  inputChars: number,
): void {
  const id = guardrail.definition.id;
  const outputText = turn.content.map((b) => b.text ?? "").join("");
  const outputMatches = inputMatches.length > 0 ? [] : blockedWordsIn(outputText, guardrail.definition);
  const modelOutput = outputMatches.length > 0 ? [outputText] : undefined;
  if (outputMatches.length > 0) {
    turn.content = [{ text: blockedOutputMessage(guardrail.definition) }];
    turn.stopReason = "guardrail_intervened";
  }
  if (!guardrail.trace) return;
  const trace: Record<string, unknown> = {
    inputAssessment: { [id]: wordAssessment(inputMatches, inputChars) },
  };
  if (inputMatches.length === 0) trace.outputAssessments = { [id]: [wordAssessment(outputMatches, outputText.length)] };
  if (modelOutput) trace.modelOutput = modelOutput;
  if (turn.stopReason === "guardrail_intervened") trace.actionReason = "Guardrail blocked.";
  turn.trace = { guardrail: trace };
}

function requestedTiers(body: ConverseBody): Pick<Turn, "serviceTier" | "performanceConfig"> {
  const result: Pick<Turn, "serviceTier" | "performanceConfig"> = {};
  const tier = body.serviceTier?.type;
  if (body.serviceTier !== undefined) {
    if (typeof tier !== "string" || !SERVICE_TIERS.includes(tier)) {
      throw constraint(tier, "serviceTier.type", `Member must satisfy enum value set: [${SERVICE_TIERS.join(", ")}]`);
    }
    result.serviceTier = { type: tier };
  }
  const latency = body.performanceConfig?.latency;
  if (body.performanceConfig !== undefined) {
    if (typeof latency !== "string" || !LATENCIES.includes(latency)) {
      throw constraint(
        latency,
        "performanceConfig.latency",
        `Member must satisfy enum value set: [${LATENCIES.join(", ")}]`,
      );
    }
    result.performanceConfig = { latency };
  }
  return result;
}
