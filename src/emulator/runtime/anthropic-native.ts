/**
 * The native Anthropic Messages body of InvokeModel (anthropic_version "bedrock-2023-05-31"): translated into the
 * Converse shape so one engine serves both, and the Turn rendered back as Anthropic's message JSON and SSE events.
 */
import { randomBytes } from "node:crypto";
import { validation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import type { ContentBlock, ConverseBody, Message, ToolEntry, Turn } from "./shapes.js";
import { isRecord } from "./shapes.js";

export const ANTHROPIC_VERSION = "bedrock-2023-05-31";
/**
 * Versions accepted in anthropic_version: Bedrock's documented one, and the dated API version that
 * @anthropic-ai/bedrock-sdk >= 1.0 sends by default.
 */
const ACCEPTED_VERSIONS = new Set([ANTHROPIC_VERSION, "2026-10-21"]);

type Json = Record<string, unknown>;

export function malformed(detail: string): Error {
  return validation(`Malformed input request: ${detail}, please reformat your input and try again.`);
}

/** Checks the envelope Bedrock itself checks, then maps the body to Converse. */
export function anthropicToConverse(raw: unknown): ConverseBody {
  if (!isRecord(raw)) throw malformed("#: expected type: JSONObject");
  for (const key of ["anthropic_version", "max_tokens", "messages"]) {
    if (raw[key] === undefined) throw malformed(`#: required key [${key}] not found`);
  }
  if (!ACCEPTED_VERSIONS.has(raw.anthropic_version as string)) {
    throw malformed(`#/anthropic_version: ${String(raw.anthropic_version)} is not a valid enum value`);
  }
  const body: ConverseBody = {
    messages: Array.isArray(raw.messages) ? raw.messages.map(toMessage) : [],
    inferenceConfig: {
      maxTokens: raw.max_tokens as number,
      temperature: raw.temperature as number | undefined,
      topP: raw.top_p as number | undefined,
      stopSequences: raw.stop_sequences as string[] | undefined,
    },
  };
  if (raw.system !== undefined) {
    body.system = typeof raw.system === "string" ? [{ text: raw.system }] : toBlocks(raw.system);
  }
  if (Array.isArray(raw.tools)) {
    body.toolConfig = { tools: raw.tools.flatMap(toTool) };
    const choice = isRecord(raw.tool_choice) ? raw.tool_choice : undefined;
    if (choice?.type === "any") body.toolConfig.toolChoice = { any: {} };
    if (choice?.type === "tool") body.toolConfig.toolChoice = { tool: { name: choice.name as string } };
  }
  const extra: Json = {};
  if (raw.thinking !== undefined) extra.thinking = raw.thinking;
  if (raw.top_k !== undefined) extra.top_k = raw.top_k;
  if (raw.output_config !== undefined) extra.output_config = raw.output_config;
  if (Object.keys(extra).length > 0) body.additionalModelRequestFields = extra;
  const format = isRecord(raw.output_format) ? raw.output_format : undefined;
  if (format?.type === "json_schema") {
    body.outputConfig = {
      textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(format.schema) } } },
    };
  }
  return body;
}

function toMessage(raw: unknown): Message {
  if (!isRecord(raw)) return {};
  const content = typeof raw.content === "string" ? [{ text: raw.content }] : toBlocks(raw.content);
  return { role: raw.role as string, content };
}

function cachePointOf(block: Json): ContentBlock[] {
  const control = isRecord(block.cache_control) ? block.cache_control : undefined;
  return control ? [{ cachePoint: { type: "default", ttl: control.ttl as string | undefined } }] : [];
}

function toBlocks(raw: unknown): ContentBlock[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((block: unknown): ContentBlock[] => {
    if (!isRecord(block)) return [];
    return [toBlock(block), ...cachePointOf(block)];
  });
}

function toBlock(block: Json): ContentBlock {
  const source = isRecord(block.source) ? block.source : {};
  switch (block.type) {
    case "text":
      return { text: block.text as string };
    case "image":
      return {
        image: {
          format: String(source.media_type ?? "").replace("image/", ""),
          source: { bytes: source.data as string },
        },
      };
    case "document":
      return {
        document: {
          format: "pdf",
          name: (block.title as string) ?? "document",
          source: { bytes: source.data as string },
        },
      };
    case "tool_use":
      return { toolUse: { toolUseId: block.id as string, name: block.name as string, input: block.input } };
    case "tool_result": {
      const content = typeof block.content === "string" ? [{ text: block.content }] : toBlocks(block.content);
      return {
        toolResult: { toolUseId: block.tool_use_id as string, content, status: block.is_error ? "error" : "success" },
      };
    }
    case "thinking":
      return {
        reasoningContent: { reasoningText: { text: block.thinking as string, signature: block.signature as string } },
      };
    case "redacted_thinking":
      return { reasoningContent: { redactedContent: block.data as string } };
    default:
      throw malformed(`#/messages: unsupported content block type [${String(block.type)}]`);
  }
}

function toTool(raw: unknown): ToolEntry[] {
  if (!isRecord(raw)) return [];
  const tool: ToolEntry = {
    toolSpec: {
      name: raw.name as string,
      description: raw.description as string,
      inputSchema: { json: raw.input_schema },
    },
  };
  return [tool, ...(cachePointOf(raw) as ToolEntry[])];
}

/** "anthropic.claude-3-7-sonnet-20250219-v1:0" -> "claude-3-7-sonnet-20250219", the model name Anthropic reports. */
export function anthropicModelName(spec: ModelSpec): string {
  return spec.id.replace(/^anthropic\./, "").replace(/-v\d+(:\d+)?$/, "");
}

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
  if (block.reasoningContent?.reasoningText) {
    const { text, signature } = block.reasoningContent.reasoningText;
    return { type: "thinking", thinking: text, signature };
  }
  return { type: "text", text: block.text ?? "" };
}

export function anthropicStopReason(turn: Turn): string {
  return turn.stopReason === "guardrail_intervened" ? "end_turn" : turn.stopReason;
}

export function anthropicUsage(turn: Turn): Json {
  return {
    input_tokens: turn.usage.inputTokens,
    cache_creation_input_tokens: turn.usage.cacheWriteInputTokens,
    cache_read_input_tokens: turn.usage.cacheReadInputTokens,
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
