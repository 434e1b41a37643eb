/**
 * Guardrails defined through the control API (blocked words only), applied to Converse input and output and
 * to ApplyGuardrail, with Bedrock's assessment and trace shapes.
 */
import type { EmulatorState } from "../state.js";
import type { GuardrailDefinition } from "../types.js";
import { constraint, validation } from "./errors.js";
import type { GuardrailConfig } from "./shapes.js";

export const DEFAULT_BLOCKED_MESSAGE = "Sorry, the model cannot answer this question.";
const GUARDRAIL_ARN = /^arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]*:\d*:guardrail\/(.+)$/;
const TRACE_VALUES = ["enabled", "disabled", "enabled_full"];

export interface ActiveGuardrail {
  definition: GuardrailDefinition;
  /** Trace requested: "enabled" | "enabled_full" | undefined (off). */
  trace?: string;
}

export function guardrailId(identifier: string): string {
  return GUARDRAIL_ARN.exec(identifier)?.[1] ?? identifier;
}

export function lookupGuardrail(
  state: EmulatorState,
  identifier: string,
  version: string,
): GuardrailDefinition | undefined {
  return state.guardrails.get(`${guardrailId(identifier)}:${version}`);
}

/** The guardrail named by a Converse guardrailConfig, or a ValidationException as Bedrock sends. */
export function activeGuardrail(
  config: GuardrailConfig | undefined,
  state: EmulatorState,
): ActiveGuardrail | undefined {
  if (config === undefined) return undefined;
  const { guardrailIdentifier, guardrailVersion, trace, streamProcessingMode } = config;
  if (!guardrailIdentifier) throw validation("The provided guardrail identifier is invalid.");
  if (trace !== undefined && !TRACE_VALUES.includes(trace)) {
    throw constraint(
      trace,
      "guardrailConfig.trace",
      `Member must satisfy enum value set: [${TRACE_VALUES.join(", ")}]`,
    );
  }
  if (streamProcessingMode !== undefined && streamProcessingMode !== "sync" && streamProcessingMode !== "async") {
    throw constraint(
      streamProcessingMode,
      "guardrailConfig.streamProcessingMode",
      "Member must satisfy enum value set: [sync, async]",
    );
  }
  const id = guardrailId(guardrailIdentifier);
  const known = [...state.guardrails.values()].some((g) => g.id === id);
  if (!known) throw validation("The provided guardrail identifier is invalid.");
  const definition = lookupGuardrail(state, guardrailIdentifier, guardrailVersion ?? "DRAFT");
  if (!definition) throw validation("The provided guardrail version is invalid.");
  return { definition, trace: trace === "disabled" ? undefined : trace };
}

/** Blocked words found in the text, case-insensitively, in definition order. */
export function blockedWordsIn(text: string, definition: GuardrailDefinition): string[] {
  const lower = text.toLowerCase();
  return definition.blockedWords.filter((word) => word.length > 0 && lower.includes(word.toLowerCase()));
}

/** One GuardrailAssessment for a word-policy check (matches may be empty). */
export function wordAssessment(matches: string[], textUnits: number): Record<string, unknown> {
  const assessment: Record<string, unknown> = {
    invocationMetrics: {
      guardrailProcessingLatency: 1,
      usage: usageUnits(textUnits),
      guardrailCoverage: { textCharacters: { guarded: textUnits, total: textUnits } },
    },
  };
  if (matches.length > 0) {
    assessment.wordPolicy = {
      customWords: matches.map((match) => ({ match, action: "BLOCKED", detected: true })),
      managedWordLists: [],
    };
  }
  return assessment;
}

export function usageUnits(characters: number): Record<string, number> {
  return {
    topicPolicyUnits: 0,
    contentPolicyUnits: 0,
    wordPolicyUnits: Math.max(1, Math.ceil(characters / 1000)),
    sensitiveInformationPolicyUnits: 0,
    sensitiveInformationPolicyFreeUnits: 0,
    contextualGroundingPolicyUnits: 0,
    contentPolicyImageUnits: 0,
  };
}

export function blockedInputMessage(definition: GuardrailDefinition): string {
  return definition.blockedInputMessage ?? definition.blockedMessage ?? DEFAULT_BLOCKED_MESSAGE;
}

export function blockedOutputMessage(definition: GuardrailDefinition): string {
  return definition.blockedOutputMessage ?? definition.blockedMessage ?? DEFAULT_BLOCKED_MESSAGE;
}
