/**
 * Assistant prefill: a conversation that ends with an assistant turn asks the model to continue that text. Claude
 * before 4.6 does (the final text may not end with whitespace); Claude 4.6 and later refuse it with a 400. The
 * deterministic model continues a prefill by leaving out the part of its reply the prefill already holds, so a
 * reply cut short and resumed from its text comes out whole.
 */

import { modelValidation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import type { ContentBlock, ConverseBody } from "./shapes.js";

/** The text of a final assistant turn, if the conversation ends with one. */
export function prefillText(body: ConverseBody): string | undefined {
  const messages = body.messages ?? [];
  const last = messages[messages.length - 1];
  if (last?.role !== "assistant" || messages.length < 2) return undefined;
  const text = (last.content ?? []).map((block) => block.text ?? "").join("");
  return text === "" ? undefined : text;
}

/** Claude 4.6 and later (adaptive thinking) take no prefill; earlier Claude refuses one ending in whitespace. */
export function checkPrefill(body: ConverseBody, spec: ModelSpec): void {
  const prefill = prefillText(body);
  if (prefill === undefined || spec.provider !== "anthropic") return;
  if (spec.thinking === "adaptive" || spec.thinking === "adaptive_only") {
    throw modelValidation(
      "This model does not support assistant message prefill. The conversation must end with a user message.",
    );
  }
  if (/\s$/.test(prefill)) throw modelValidation("final assistant content cannot end with trailing whitespace");
}

/** The reply after the prefill: its first text block without the prefill it starts with. */
export function continuePrefill(content: ContentBlock[], prefill: string): ContentBlock[] {
  const index = content.findIndex((block) => typeof block.text === "string");
  const block = content[index];
  if (!block?.text?.startsWith(prefill)) return content;
  const rest = block.text.slice(prefill.length);
  const continued = [...content];
  if (rest === "") continued.splice(index, 1);
  else continued[index] = { ...block, text: rest };
  return continued;
}
