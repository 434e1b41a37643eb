/**
 * The native Anthropic Messages body on Bedrock (InvokeModel / InvokeModelWithResponseStream on a Claude model):
 * what a Messages API request must lose or gain to be accepted there, and Anthropic's usage read back as the
 * library's usage. Everything Bedrock takes passes through untouched (the client's own cache points, thinking
 * blocks with their signatures, tools, betas Bedrock knows), so every Anthropic feature Bedrock offers survives.
 *
 * Sources: AWS's "Anthropic Claude Messages API" request page (fields, anthropic_version, betas); Bedrock answers
 * quoted in public trackers ("invalid beta flag", "extraneous key [stream] is not permitted", "Extra inputs are not
 * permitted" for Anthropic-only fields, the reserved x-anthropic-billing-header system text that Claude Code
 * 2.1 sends).
 */
import type { CompletionUsage } from "../chat/index.js";

export const BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31";

/** A Messages API request body: Anthropic's JSON, read loosely (new fields pass through to the allowlist). */
export type AnthropicMessagesBody = Record<string, unknown> & {
  max_tokens?: number;
  messages?: unknown[];
  system?: unknown;
  anthropic_beta?: string[];
};

/** Anthropic's usage object. */
export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  [key: string]: unknown;
}

/** A Messages API response (`type: "message"`), with the cost the library adds. */
export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: Record<string, unknown>[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
  /** USD, added by the library (as on chat completions). */
  cost?: number;
  /** The section that served the call ("llm" or NAME of [llm.NAME]), added by the library. */
  served_by?: string;
  [key: string]: unknown;
}

/** One event of a Messages API stream (message_start, content_block_delta, ...), as Bedrock relays it. */
export type AnthropicStreamEvent = { type: string; [key: string]: unknown };

/** Top-level fields Bedrock's Anthropic body accepts; anything else is refused there, so it is left out. */
const BEDROCK_FIELDS = new Set([
  "anthropic_version",
  "anthropic_beta",
  "max_tokens",
  "messages",
  "system",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "metadata",
  "output_config",
  "output_format",
  "context_management",
]);

/**
 * Beta flags Bedrock accepts for Claude (AWS's Messages API page, beta headers); any other is "invalid beta
 * flag". Clients send more (Claude Code: claude-code-20250219, oauth-..., prompt-caching-scope-...): those are
 * Anthropic API features Bedrock does not have, so they are dropped rather than failing the call.
 */
export const BEDROCK_BETAS: ReadonlySet<string> = new Set([
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
]);

/** The one context-management edit Bedrock runs (with the compact beta); Claude Code also sends clear_thinking. */
const BEDROCK_CONTEXT_EDIT = "compact_20260112";
/** Anthropic's billing line that Claude Code puts first in `system`; Bedrock refuses it as a reserved keyword. */
const BILLING_HEADER = "x-anthropic-billing-header:";

/** What was left out of a body to make Bedrock accept it (said once per distinct set, as a warning). */
export interface Omitted {
  fields: string[];
  betas: string[];
}

/**
 * The body Bedrock's InvokeModel takes for a Messages API request: `anthropic_version` set, the betas (the body's
 * and `extraBetas`, e.g. from an anthropic-beta header) filtered to those Bedrock knows, `model` and `stream` and
 * Anthropic-only fields left out, and the few nested values Bedrock refuses removed. The input is not modified.
 */
export function toBedrockAnthropicBody(
  body: AnthropicMessagesBody,
  extraBetas: readonly string[] = [],
): { body: Record<string, unknown>; omitted: Omitted } {
  const omitted: Omitted = { fields: [], betas: [] };
  const out: Record<string, unknown> = { anthropic_version: BEDROCK_ANTHROPIC_VERSION };
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || key === "anthropic_version" || key === "anthropic_beta") continue;
    if (BEDROCK_FIELDS.has(key)) out[key] = value;
    else if (key !== "model" && key !== "stream") omitted.fields.push(key);
  }
  const betas = new Set<string>();
  for (const beta of [...(Array.isArray(body.anthropic_beta) ? body.anthropic_beta : []), ...extraBetas]) {
    if (BEDROCK_BETAS.has(beta)) betas.add(beta);
    else if (!omitted.betas.includes(beta)) omitted.betas.push(beta);
  }
  if (out.system !== undefined) out.system = withoutBillingHeader(out.system);
  if (out.metadata !== undefined) out.metadata = bedrockMetadata(out.metadata);
  if (out.context_management !== undefined) {
    const kept = bedrockContextManagement(out.context_management);
    if (kept) {
      out.context_management = kept;
      betas.add("compact-2026-01-12");
    } else {
      delete out.context_management;
      omitted.fields.push("context_management");
    }
  }
  if (Array.isArray(out.tools)) out.tools = out.tools.map(bedrockTool);
  stripCacheScopes(out);
  if (betas.size > 0) out.anthropic_beta = [...betas];
  return { body: out, omitted };
}

/** Claude Code's billing line is Anthropic's accounting, not a prompt: a system block (or prefix) holding it goes. */
function withoutBillingHeader(system: unknown): unknown {
  if (typeof system === "string") {
    return system.startsWith(BILLING_HEADER) ? system.slice(system.indexOf("\n") + 1 || system.length) : system;
  }
  if (!Array.isArray(system)) return system;
  return system.filter(
    (block) => !(isRecord(block) && typeof block.text === "string" && block.text.startsWith(BILLING_HEADER)),
  );
}

/** Bedrock takes `metadata.user_id` only. */
function bedrockMetadata(metadata: unknown): unknown {
  if (!isRecord(metadata)) return metadata;
  return metadata.user_id === undefined ? {} : { user_id: metadata.user_id };
}

function bedrockContextManagement(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value) || !Array.isArray(value.edits)) return undefined;
  const edits = value.edits.filter((edit) => isRecord(edit) && edit.type === BEDROCK_CONTEXT_EDIT);
  return edits.length > 0 ? { ...value, edits } : undefined;
}

/** Claude Code marks tools `defer_loading` under `custom`, which Bedrock refuses as an extra input. */
function bedrockTool(tool: unknown): unknown {
  if (!isRecord(tool) || tool.custom === undefined) return tool;
  const { custom: _custom, ...rest } = tool;
  return rest;
}

/** cache_control on Bedrock is {type, ttl}: Anthropic's `scope` (cross-request caching) is left out. */
function stripCacheScopes(body: Record<string, unknown>): void {
  const fix = (block: unknown): unknown => {
    if (!isRecord(block) || !isRecord(block.cache_control) || block.cache_control.scope === undefined) return block;
    const { scope: _scope, ...control } = block.cache_control;
    return { ...block, cache_control: control };
  };
  if (Array.isArray(body.system)) body.system = body.system.map(fix);
  if (Array.isArray(body.tools)) body.tools = body.tools.map(fix);
  if (Array.isArray(body.messages)) {
    body.messages = body.messages.map((message) =>
      isRecord(message) && Array.isArray(message.content) ? { ...message, content: message.content.map(fix) } : message,
    );
  }
}

/** Anthropic's usage -> the library's: prompt tokens count every input token, cache reads and writes included. */
export function usageFromAnthropic(usage: AnthropicUsage | undefined): CompletionUsage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  const prompt = input + cacheRead + cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

/** Cache writes made with the one-hour TTL (priced higher than five-minute ones). */
export function oneHourCacheWrites(usage: AnthropicUsage | undefined): number {
  return usage?.cache_creation?.ephemeral_1h_input_tokens ?? 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
