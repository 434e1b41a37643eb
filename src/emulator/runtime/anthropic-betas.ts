/**
 * Anthropic beta flags on Bedrock: `anthropic_beta` in a native body, or in Converse's
 * additionalModelRequestFields. Bedrock accepts a fixed list for Claude and answers any other flag with
 * ValidationException "invalid beta flag". Sources: AWS's "Anthropic Claude Messages API" page (beta headers) and
 * Bedrock responses quoted in public issue trackers; the list is kept by hand.
 */
import { malformed, modelValidation, validation } from "./errors.js";
import type { ModelSpec } from "./models.js";

export const BEDROCK_BETAS: readonly string[] = [
  "computer-use-2024-10-22",
  "computer-use-2025-01-24",
  "computer-use-2025-11-24",
  "token-efficient-tools-2025-02-19",
  "interleaved-thinking-2025-05-14",
  "fine-grained-tool-streaming-2025-05-14",
  "output-128k-2025-02-19",
  "dev-full-thinking-2025-05-14",
  "context-1m-2025-08-07",
  "context-management-2025-06-27",
  "effort-2025-11-24",
  "tool-search-tool-2025-10-19",
  "tool-examples-2025-10-29",
  "compact-2026-01-12",
];

export const INTERLEAVED_THINKING = "interleaved-thinking-2025-05-14";
const OUTPUT_128K = "output-128k-2025-02-19";
const COMPUTER_USE = /^computer-use-\d{4}-\d{2}-\d{2}$/;

/**
 * The betas of a request, checked. `native` bodies (InvokeModel) get Bedrock's bare message; Converse relays the
 * model's error with its usual prefix.
 */
export function requestedBetas(raw: unknown, native: boolean): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((beta) => typeof beta !== "string")) {
    if (native) throw malformed("#/anthropic_beta: expected type: JSONArray of String");
    throw modelValidation("anthropic_beta: Input should be a valid list of strings");
  }
  const unknown = raw.find((beta) => !BEDROCK_BETAS.includes(beta));
  if (unknown !== undefined) throw native ? validation("invalid beta flag") : modelValidation("invalid beta flag");
  return raw as string[];
}

export function allowsComputerUse(betas: readonly string[]): boolean {
  return betas.some((beta) => COMPUTER_USE.test(beta));
}

/** Output limit with the betas applied: output-128k lifts Claude 3.7 Sonnet to 128,000 tokens. */
export function outputLimit(spec: ModelSpec, betas: readonly string[]): number {
  if (betas.includes(OUTPUT_128K) && spec.id.includes("claude-3-7-sonnet")) return 128_000;
  return spec.maxOutputTokens;
}
