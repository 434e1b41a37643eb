/** ApplyGuardrail: runs a control-API guardrail over caller-supplied content without invoking a model. */
import type { EmulatorState } from "../state.js";
import type { RuntimeCall } from "../types.js";
import { constraint, notFound } from "./errors.js";
import {
  blockedInputMessage,
  blockedOutputMessage,
  blockedWordsIn,
  lookupGuardrail,
  usageUnits,
  wordAssessment,
} from "./guardrails.js";
import { isRecord } from "./shapes.js";

export function applyGuardrail(call: RuntimeCall, state: EmulatorState): Record<string, unknown> {
  const body = isRecord(call.body) ? call.body : {};
  const source = body.source;
  if (source !== "INPUT" && source !== "OUTPUT") {
    throw constraint(source, "source", "Member must satisfy enum value set: [INPUT, OUTPUT]");
  }
  if (!Array.isArray(body.content) || body.content.length === 0) {
    throw constraint("[]", "content", "Member must have length greater than or equal to 1");
  }
  const definition = lookupGuardrail(state, call.guardrailIdentifier ?? "", call.guardrailVersion ?? "DRAFT");
  if (!definition) throw notFound("The guardrail identifier or version provided doesn't exist.");
  const text = body.content
    .map((block: unknown) => (isRecord(block) && isRecord(block.text) ? String(block.text.text ?? "") : ""))
    .join("\n");
  const matches = blockedWordsIn(text, definition);
  const intervened = matches.length > 0;
  const message = source === "INPUT" ? blockedInputMessage(definition) : blockedOutputMessage(definition);
  const result: Record<string, unknown> = {
    usage: usageUnits(text.length),
    action: intervened ? "GUARDRAIL_INTERVENED" : "NONE",
    outputs: intervened ? [{ text: message }] : [],
    assessments: [wordAssessment(matches, text.length)],
    guardrailCoverage: { textCharacters: { guarded: text.length, total: text.length } },
  };
  if (intervened) result.actionReason = "Guardrail blocked.";
  return result;
}
