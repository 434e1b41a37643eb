/** A guardrail applied to one Converse turn: the input before the model runs, the reply after, and the trace. */
import {
  type ActiveGuardrail,
  blockedInputMessage,
  blockedOutputMessage,
  blockedWordsIn,
  wordAssessment,
} from "./guardrails.js";
import type { ContentBlock, ConverseBody, Turn } from "./shapes.js";

export interface InputCheck {
  text: string;
  matches: string[];
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

/** Checks the input; on a match the turn becomes the blocked-input reply and the model must not run. */
export function checkInput(turn: Turn, guardrail: ActiveGuardrail, body: ConverseBody): InputCheck {
  const text = guardedInputText(body);
  const matches = blockedWordsIn(text, guardrail.definition);
  if (matches.length > 0) {
    turn.content = [{ text: blockedInputMessage(guardrail.definition) }];
    turn.stopReason = "guardrail_intervened";
  }
  return { text, matches };
}

/** Checks the reply (unless the input was already blocked) and attaches the trace when one was asked for. */
export function checkOutput(turn: Turn, guardrail: ActiveGuardrail, input: InputCheck): void {
  const id = guardrail.definition.id;
  const outputText = turn.content.map((b) => b.text ?? "").join("");
  const inputBlocked = input.matches.length > 0;
  const outputMatches = inputBlocked ? [] : blockedWordsIn(outputText, guardrail.definition);
  if (outputMatches.length > 0) {
    turn.content = [{ text: blockedOutputMessage(guardrail.definition) }];
    turn.stopReason = "guardrail_intervened";
  }
  if (!guardrail.trace) return;
  const trace: Record<string, unknown> = {
    inputAssessment: { [id]: wordAssessment(input.matches, input.text.length) },
  };
  if (!inputBlocked) trace.outputAssessments = { [id]: [wordAssessment(outputMatches, outputText.length)] };
  if (outputMatches.length > 0) trace.modelOutput = [outputText];
  // The recorded "enabled" trace carries no actionReason; the full trace does.
  if (turn.stopReason === "guardrail_intervened" && guardrail.trace === "enabled_full") {
    trace.actionReason = "Guardrail blocked.";
  }
  turn.trace = { guardrail: trace };
}
