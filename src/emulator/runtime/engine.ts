/**
 * One model call in Converse terms: validate everything first (Bedrock answers a bad request before doing any
 * work), then touch state (prompt cache, scripted replies) and produce the Turn that every renderer shares.
 */
import type { EmulatorState } from "../state.js";
import type { ScriptedResponse } from "../types.js";
import { applyPromptCache, type CacheUsage, validateCachePoints } from "./caching.js";
import { checkInput, checkOutput } from "./guardrail-check.js";
import { activeGuardrail } from "./guardrails.js";
import { planNovaReasoning, REDACTED_REASONING } from "./nova-reasoning.js";
import { pacedText, type StreamOperation, takePace } from "./pacing.js";
import { checkPrefill } from "./prefill.js";
import { promptSegments, promptTokens } from "./prompt.js";
import { generateReply } from "./reply.js";
import type { ResolvedModel } from "./resolve.js";
import { requestedFieldPaths, resolveResponseFields } from "./response-fields.js";
import { withS3Objects } from "./s3.js";
import type { Turn } from "./shapes.js";
import { structuredSchema } from "./structured.js";
import { planThinking, verifyReasoningHistory } from "./thinking.js";
import { requestedTiers, type Tiers } from "./tiers.js";
import { blockTokens } from "./tokens.js";
import { validateConverse } from "./validate.js";

/**
 * `stream` names the streaming operation when there is one: paced replies only apply to streams. `accountId`: the
 * caller's account, which S3 sources' owner rules compare against.
 */
export function runConverse(
  raw: unknown,
  model: ResolvedModel,
  state: EmulatorState,
  stream?: StreamOperation,
  accountId?: string,
): Turn {
  const { spec } = model;
  const body = withS3Objects(validateConverse(raw, spec), state, accountId);
  checkPrefill(body, spec);
  const segments = promptSegments(body);
  validateCachePoints(segments, spec);
  const plan = planThinking(body, spec);
  const novaReasoning = planNovaReasoning(body, spec);
  verifyReasoningHistory(body, plan, state.thinkingKey, spec);
  const schema = structuredSchema(body, spec);
  const fieldPaths = requestedFieldPaths(body);
  const guardrail = activeGuardrail(body.guardrailConfig, state);
  const turn = emptyTurn(applyPromptCache(segments, promptTokens(segments), spec, state), requestedTiers(body));

  const input = guardrail ? checkInput(turn, guardrail, body) : undefined;
  let script: ScriptedResponse | undefined;
  if (!input?.matches.length) {
    script = takeScript(state, model);
    const pace = stream ? takePace(state, stream, script) : undefined;
    if (pace) turn.pace = { eventsPerSecond: pace.eventsPerSecond };
    const maxTokens = body.inferenceConfig?.maxTokens ?? spec.maxOutputTokens;
    const reply = generateReply({
      body,
      plan,
      schema,
      script: pace ? { ...script, text: pacedText(script?.text, pace.events) } : script,
      thinkingKey: state.thinkingKey,
      maxTokens,
    });
    turn.content = novaReasoning && !script?.reasoning ? [REDACTED_REASONING, ...reply.content] : reply.content;
    turn.stopReason = reply.stopReason;
    turn.stopSequence = reply.stopSequence;
  }
  if (guardrail && input) checkOutput(turn, guardrail, input);
  settleUsage(turn, script);
  if (fieldPaths) turn.responseFields = resolveResponseFields(fieldPaths, turn, spec);
  return turn;
}

function emptyTurn(cache: CacheUsage, tiers: Tiers): Turn {
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
  return turn;
}

/** Output tokens by the token rule (or the script's override), totals, and the deterministic latency. */
function settleUsage(turn: Turn, script: ScriptedResponse | undefined): void {
  const usage = turn.usage;
  usage.outputTokens = script?.usage?.outputTokens ?? turn.content.reduce((sum, b) => sum + blockTokens(b), 0);
  if (script?.usage?.inputTokens !== undefined) usage.inputTokens = script.usage.inputTokens;
  usage.totalTokens = usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
  turn.latencyMs = 50 + usage.outputTokens;
}

/** Scripted replies are consumed in order; one bound to a model only serves calls to that model. */
function takeScript(state: EmulatorState, model: ResolvedModel): ScriptedResponse | undefined {
  const index = state.scripted.findIndex(
    (s) => s.modelId === undefined || s.modelId === model.requested || s.modelId === model.spec.id,
  );
  return index < 0 ? undefined : state.scripted.splice(index, 1)[0];
}
