/** A Turn rendered as Anthropic's Messages JSON (InvokeModel with the native Anthropic body). */
import { randomBytes } from "node:crypto";
import type { ModelSpec } from "./models.js";
import type { ContentBlock, Turn } from "./shapes.js";

type Json = Record<string, unknown>;

/** "anthropic.claude-3-7-sonnet-20250219-v1:0" -> "claude-3-7-sonnet-20250219", the model name Anthropic reports. */
export function anthropicModelName(spec: ModelSpec): string {
  return spec.id.replace(/^anthropic\./, "").replace(/-v\d+(:\d+)?$/, "");
}

/** Bedrock's Claude ids: the emulator's own `tooluse_...` ids come back as `toolu_bdrk_...`. */
function nativeToolId(id: string | undefined): string {
  return id?.startsWith("tooluse_") ? `toolu_bdrk_${id.slice("tooluse_".length)}` : (id ?? "");
}

export function anthropicBlock(block: ContentBlock): Json {
  if (block.toolUse) {
    return {
      type: "tool_use",
      id: nativeToolId(block.toolUse.toolUseId),
      name: block.toolUse.name,
      input: block.toolUse.input,
    };
  }
  if (block.reasoningContent?.redactedContent !== undefined) {
    return { type: "redacted_thinking", data: block.reasoningContent.redactedContent };
  }
  if (block.reasoningContent?.reasoningText) {
    const { text, signature } = block.reasoningContent.reasoningText;
    return { type: "thinking", thinking: text, signature };
  }
  return { type: "text", text: block.text ?? "" };
}

export function anthropicStopReason(turn: Turn): string {
  return turn.stopReason === "guardrail_intervened" ? "end_turn" : turn.stopReason;
}

/** Anthropic's usage, with the cache writes split by TTL as the Messages API reports them. */
export function anthropicUsage(turn: Turn): Json {
  const writtenFor = (ttl: string) =>
    (turn.usage.cacheDetails ?? []).filter((d) => d.ttl === ttl).reduce((sum, d) => sum + d.inputTokens, 0);
  return {
    input_tokens: turn.usage.inputTokens,
    cache_creation_input_tokens: turn.usage.cacheWriteInputTokens,
    cache_read_input_tokens: turn.usage.cacheReadInputTokens,
    cache_creation: { ephemeral_5m_input_tokens: writtenFor("5m"), ephemeral_1h_input_tokens: writtenFor("1h") },
    output_tokens: turn.usage.outputTokens,
  };
}

export function messageId(): string {
  return `msg_bdrk_${randomBytes(12).toString("base64url")}`;
}

export function anthropicResponse(turn: Turn, spec: ModelSpec): Json {
  const body: Json = {
    id: messageId(),
    type: "message",
    role: "assistant",
    model: anthropicModelName(spec),
    content: turn.content.map(anthropicBlock),
    stop_reason: anthropicStopReason(turn),
    stop_sequence: turn.stopSequence ?? null,
    usage: anthropicUsage(turn),
  };
  if (turn.stopReason === "guardrail_intervened") body["amazon-bedrock-guardrailAction"] = "INTERVENED";
  if (turn.trace) body["amazon-bedrock-trace"] = turn.trace;
  return body;
}
