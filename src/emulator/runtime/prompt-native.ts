/**
 * The plain-prompt native bodies of Meta Llama ({prompt, max_gen_len, temperature, top_p}) and Mistral
 * ({prompt, max_tokens, temperature, top_p, top_k, stop}). Chat-template markers are stripped from the prompt so
 * the echo reply reads as the user's words.
 */

import { textPieces } from "./converse.js";
import { malformed } from "./errors.js";
import { invocationMetrics } from "./invoke-metrics.js";
import type { ModelSpec } from "./models.js";
import { type ConverseBody, isRecord, type Turn } from "./shapes.js";

const KEYS = {
  meta: { maxTokens: "max_gen_len", allowed: ["prompt", "max_gen_len", "temperature", "top_p", "images"] },
  mistral: { maxTokens: "max_tokens", allowed: ["prompt", "max_tokens", "temperature", "top_p", "top_k", "stop"] },
} as const;

/** Removes Llama 3 headers and special tokens, and Mistral's [INST] / <s> markers. */
export function stripChatTemplate(prompt: string): string {
  return prompt
    .replace(/<\|start_header_id\|>[^<]*<\|end_header_id\|>/g, " ")
    .replace(/<\|[^|>]*\|>/g, " ")
    .replace(/\[\/?INST\]|<\/?s>/g, " ")
    .trim();
}

export function promptToConverse(raw: unknown, spec: ModelSpec): ConverseBody {
  const keys = spec.provider === "meta" ? KEYS.meta : KEYS.mistral;
  if (!isRecord(raw)) throw malformed("#: expected type: JSONObject");
  for (const key of Object.keys(raw)) {
    if (!(keys.allowed as readonly string[]).includes(key))
      throw malformed(`#: extraneous key [${key}] is not permitted`);
  }
  if (typeof raw.prompt !== "string") throw malformed("#: required key [prompt] not found");
  const maxTokens = raw[keys.maxTokens] as number | undefined;
  if (maxTokens !== undefined && maxTokens > spec.maxOutputTokens) {
    throw malformed(`#/${keys.maxTokens}: ${maxTokens} is not less or equal to ${spec.maxOutputTokens}`);
  }
  return {
    messages: [{ role: "user", content: [{ text: stripChatTemplate(raw.prompt) || raw.prompt }] }],
    inferenceConfig: {
      maxTokens: maxTokens ?? 512,
      temperature: raw.temperature as number | undefined,
      topP: raw.top_p as number | undefined,
      stopSequences: Array.isArray(raw.stop) ? (raw.stop as string[]) : undefined,
    },
  };
}

function stopReason(turn: Turn): string {
  return turn.stopReason === "max_tokens" ? "length" : "stop";
}

function outputText(turn: Turn): string {
  return turn.content.map((b) => b.text ?? "").join("");
}

export function promptResponse(turn: Turn, spec: ModelSpec): Record<string, unknown> {
  if (spec.provider === "mistral") return { outputs: [{ text: outputText(turn), stop_reason: stopReason(turn) }] };
  return {
    generation: outputText(turn),
    prompt_token_count: turn.usage.inputTokens,
    generation_token_count: turn.usage.outputTokens,
    stop_reason: stopReason(turn),
  };
}

export function promptStreamChunks(turn: Turn, spec: ModelSpec): Record<string, unknown>[] {
  const pieces = textPieces(outputText(turn), turn);
  return pieces.map((text, index) => {
    const last = index === pieces.length - 1;
    const chunk: Record<string, unknown> =
      spec.provider === "mistral"
        ? { outputs: [{ text, stop_reason: last ? stopReason(turn) : null }] }
        : {
            generation: text,
            prompt_token_count: index === 0 ? turn.usage.inputTokens : null,
            generation_token_count: last ? turn.usage.outputTokens : null,
            stop_reason: last ? stopReason(turn) : null,
          };
    if (last) chunk["amazon-bedrock-invocationMetrics"] = invocationMetrics(turn);
    return chunk;
  });
}
