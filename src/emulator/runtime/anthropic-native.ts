/**
 * The native Anthropic Messages body of InvokeModel (anthropic_version "bedrock-2023-05-31"): checked where it
 * differs from Converse (envelope, betas, max_tokens, tool and block types, cache_control, metadata), then
 * translated into the Converse shape so one engine serves both. Rendering back is in anthropic-response.ts.
 */
import { allowsComputerUse, outputLimit, requestedBetas } from "./anthropic-betas.js";
import { anthropicModelName } from "./anthropic-response.js";
import { malformed, modelValidation } from "./errors.js";
import { jsonTypeName } from "./json-schema-errors.js";
import type { ModelSpec } from "./models.js";
import {
  ANTHROPIC_NATIVE,
  type ContentBlock,
  type ConverseBody,
  isRecord,
  type Message,
  type ToolChoice,
  type ToolEntry,
} from "./shapes.js";

export const ANTHROPIC_VERSION = "bedrock-2023-05-31";
/**
 * Versions accepted in anthropic_version: Bedrock's documented one, and the dated API version that
 * @anthropic-ai/bedrock-sdk >= 1.0 copies from its anthropic-version header.
 */
const ACCEPTED_VERSIONS = new Set([ANTHROPIC_VERSION, "2026-10-21"]);
const IMAGE_MEDIA_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
const TOOL_CHOICES = ["auto", "any", "tool", "none"];
/** Anthropic-defined client tools Bedrock offers; computer tools need a computer-use beta. */
const CLIENT_TOOL = /^(computer|bash|text_editor)_\d{8}$/;

type Json = Record<string, unknown>;

/** Checks the body as Bedrock and the model check it, then maps it to Converse. */
export function anthropicToConverse(raw: unknown, spec: ModelSpec): ConverseBody {
  if (!isRecord(raw)) throw malformed("#: expected type: JSONObject");
  const missing = ["anthropic_version", "max_tokens", "messages"].filter((key) => raw[key] === undefined);
  if (missing.length > 0) throw malformed(missing.map((key) => `#: required key [${key}] not found`).join(""));
  if (!ACCEPTED_VERSIONS.has(raw.anthropic_version as string)) {
    throw malformed(`#/anthropic_version: ${String(raw.anthropic_version)} is not a valid enum value`);
  }
  const betas = requestedBetas(raw.anthropic_beta, true);
  const maxTokens = checkMaxTokens(raw.max_tokens, spec, betas);
  if (!Array.isArray(raw.messages))
    throw malformed(`#/messages: expected type: JSONArray, found: ${jsonTypeName(raw.messages)}`);
  checkMetadata(raw.metadata);

  const body: ConverseBody = {
    messages: mergeTurns(raw.messages.map((message, m) => toMessage(message, m))),
    inferenceConfig: {
      maxTokens,
      temperature: raw.temperature as number | undefined,
      topP: raw.top_p as number | undefined,
      stopSequences: raw.stop_sequences as string[] | undefined,
    },
    [ANTHROPIC_NATIVE]: true,
  };
  const system = toSystem(raw.system);
  if (system.length > 0) body.system = system;
  if (Array.isArray(raw.tools) && raw.tools.length > 0) {
    body.toolConfig = { tools: raw.tools.flatMap((tool, i) => toTool(tool, i, betas)) };
    const choice = toToolChoice(raw.tool_choice);
    if (choice) body.toolConfig.toolChoice = choice;
  }
  const extra: Json = {};
  for (const key of ["thinking", "top_k", "output_config"]) if (raw[key] !== undefined) extra[key] = raw[key];
  if (betas.length > 0) extra.anthropic_beta = betas;
  if (Object.keys(extra).length > 0) body.additionalModelRequestFields = extra;
  const format = isRecord(raw.output_format) ? raw.output_format : undefined;
  if (format?.type === "json_schema") {
    body.outputConfig = {
      textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(format.schema) } } },
    };
  }
  return body;
}

function checkMaxTokens(value: unknown, spec: ModelSpec, betas: readonly string[]): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw malformed(`#/max_tokens: expected type: Integer, found: ${jsonTypeName(value)}`);
  }
  if (value < 1) throw modelValidation("max_tokens: Input should be greater than or equal to 1");
  const limit = outputLimit(spec, betas);
  if (value > limit) {
    throw modelValidation(
      `max_tokens: ${value} > ${limit}, which is the maximum allowed number of output tokens for ${anthropicModelName(spec)}`,
    );
  }
  return value;
}

function checkMetadata(metadata: unknown): void {
  if (metadata === undefined) return;
  if (!isRecord(metadata)) throw malformed(`#/metadata: expected type: JSONObject, found: ${jsonTypeName(metadata)}`);
  for (const key of Object.keys(metadata)) {
    if (key !== "user_id") throw modelValidation(`metadata.${key}: Extra inputs are not permitted`);
  }
  const userId = metadata.user_id;
  if (userId !== undefined && userId !== null && (typeof userId !== "string" || userId.length > 256)) {
    throw modelValidation("metadata.user_id: String should have at most 256 characters");
  }
}

/** The Messages API combines consecutive turns of the same role into one; Converse would refuse them. */
function mergeTurns(messages: Message[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last && last.role === message.role) last.content = [...(last.content ?? []), ...(message.content ?? [])];
    else merged.push({ ...message, content: [...(message.content ?? [])] });
  }
  return merged;
}

function toMessage(raw: unknown, m: number): Message {
  if (!isRecord(raw)) return {};
  const content =
    typeof raw.content === "string" ? textBlocks(raw.content) : toBlocks(raw.content, `messages.${m}.content`);
  return { role: raw.role as string, content };
}

function textBlocks(text: string): ContentBlock[] {
  return [{ text }];
}

function toSystem(raw: unknown): ContentBlock[] {
  if (raw === undefined || raw === "") return [];
  if (typeof raw === "string") return textBlocks(raw);
  if (!Array.isArray(raw)) throw malformed(`#/system: expected type: JSONArray, found: ${jsonTypeName(raw)}`);
  raw.forEach((block, i) => {
    if (!isRecord(block) || block.type !== "text") throw modelValidation(`system.${i}.type: Input should be 'text'`);
  });
  return toBlocks(raw, "system");
}

/** A cache_control on a block is a cache point right after it (not inside tool results). */
function cachePointOf(block: Json, path: string): ContentBlock[] {
  if (block.cache_control === undefined || block.cache_control === null) return [];
  const control = isRecord(block.cache_control) ? block.cache_control : {};
  if (control.type !== "ephemeral") throw modelValidation(`${path}.cache_control.type: Input should be 'ephemeral'`);
  return [{ cachePoint: { type: "default", ttl: control.ttl as string | undefined } }];
}

function toBlocks(raw: unknown, path: string, nested = false): ContentBlock[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((block: unknown, i): ContentBlock[] => {
    if (!isRecord(block)) throw malformed(`#/${path.replaceAll(".", "/")}/${i}: expected type: JSONObject`);
    const at = `${path}.${i}`;
    return nested ? [toBlock(block, at)] : [toBlock(block, at), ...cachePointOf(block, at)];
  });
}

function toBlock(block: Json, path: string): ContentBlock {
  const source = isRecord(block.source) ? block.source : {};
  switch (block.type) {
    case "text":
      return { text: block.text as string };
    case "image":
      return toImage(source, path);
    case "document":
      return toDocument(block, source, path);
    case "tool_use":
      return { toolUse: { toolUseId: block.id as string, name: block.name as string, input: block.input } };
    case "tool_result": {
      // The Messages API allows a tool_result without content (an empty string or list): kept empty.
      const content =
        typeof block.content === "string"
          ? block.content === ""
            ? []
            : textBlocks(block.content)
          : toBlocks(block.content, `${path}.content`, true);
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

function toImage(source: Json, path: string): ContentBlock {
  if (source.type !== "base64") {
    throw modelValidation(
      `${path}.source.type: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64'`,
    );
  }
  if (!IMAGE_MEDIA_TYPES.includes(source.media_type as string)) {
    throw modelValidation(
      `${path}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
    );
  }
  return {
    image: { format: String(source.media_type).replace("image/", ""), source: { bytes: source.data as string } },
  };
}

function toDocument(block: Json, source: Json, path: string): ContentBlock {
  // Converse names documents; Anthropic titles them freely, so the title is cut to the characters a name allows.
  const title = typeof block.title === "string" ? block.title : "";
  const name =
    title
      .replace(/[^A-Za-z0-9\-()[\] ]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 200) || "document";
  if (source.type === "base64" && source.media_type === "application/pdf") {
    return { document: { format: "pdf", name, source: { bytes: source.data as string } } };
  }
  if (source.type === "text") return { document: { format: "txt", name, source: { text: source.data as string } } };
  throw modelValidation(
    `${path}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'text'`,
  );
}

function toTool(raw: unknown, i: number, betas: readonly string[]): ToolEntry[] {
  if (!isRecord(raw)) throw malformed(`#/tools/${i}: expected type: JSONObject`);
  const type = (raw.type as string | undefined) ?? "custom";
  let inputSchema: unknown;
  if (type === "custom") {
    if (!isRecord(raw.input_schema)) throw modelValidation(`tools.${i}.custom.input_schema: Field required`);
    inputSchema = raw.input_schema;
  } else if (CLIENT_TOOL.test(type)) {
    if (type.startsWith("computer_") && !allowsComputerUse(betas)) {
      throw modelValidation(`tools.${i}: the ${type} tool needs a computer-use beta flag in anthropic_beta`);
    }
    inputSchema = { type: "object" };
  } else {
    throw modelValidation(
      `tools.${i}: Input tag '${type}' found using 'type' does not match any of the expected tags: 'custom', 'computer_20250124', 'bash_20250124', 'text_editor_20250124'`,
    );
  }
  const tool: ToolEntry = {
    toolSpec: { name: raw.name as string, description: raw.description as string, inputSchema: { json: inputSchema } },
  };
  return [tool, ...(cachePointOf(raw, `tools.${i}`) as ToolEntry[])];
}

/** auto / any / tool map to Converse; none offers the tools without letting the model call them (as auto here). */
function toToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) throw malformed(`#/tool_choice: expected type: JSONObject, found: ${jsonTypeName(raw)}`);
  if (raw.type === undefined) throw modelValidation("tool_choice.type: Field required");
  if (!TOOL_CHOICES.includes(raw.type as string)) {
    throw modelValidation(
      `tool_choice: Input tag '${String(raw.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`,
    );
  }
  if (raw.type === "any") return { any: {} };
  if (raw.type === "tool") {
    if (typeof raw.name !== "string") throw modelValidation("tool_choice.tool.name: Field required");
    return { tool: { name: raw.name } };
  }
  return raw.type === "auto" ? { auto: {} } : undefined;
}
