/**
 * A Responses request -> the library's chat-completions request. Input items are a flat list; chat messages are
 * turns. Consecutive assistant-side items (reasoning, assistant messages, tool calls) make one assistant turn,
 * with its reasoning blocks, text and tool calls, as Bedrock wants them; each tool output is a tool message; user,
 * system and developer messages are themselves (system and developer text goes to Bedrock's system prompt).
 */
import type {
  AssistantMessage,
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  FileContentPart,
  ReasoningEffort,
  ResponseFormat,
  ServiceTier,
  TextContentPart,
} from "../../chat/index.js";
import { errors } from "../openai-error.js";
import { decodeBlock } from "./reasoning-item.js";
import type {
  InputFilePart,
  InputItem,
  MessageInputItem,
  ResponsesBody,
  ContentPart as ResponsesContentPart,
  TextFormatParam,
} from "./request-schema.js";
import { type ToolCatalog, toolCallOf } from "./tools.js";

/** Where an item came from, for the `param` of an error: the request's input, or the stored conversation. */
export interface LocatedItem {
  item: InputItem;
  path: string;
}

/** The library request (the caller adds the call's signal); throws GatewayError 400 for what Bedrock cannot take. */
export function toChatRequest(
  body: ResponsesBody,
  items: readonly LocatedItem[],
  catalog: ToolCatalog,
): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  messages.push(...toMessages(items));
  const toolChoice = catalog.toolChoice(body.tool_choice);
  if (catalog.tools.length === 0) catalog.declareEarlierTools(messages);
  const request: ChatCompletionRequest = { messages };
  if (catalog.tools.length > 0) request.tools = catalog.tools;
  if (toolChoice !== undefined) request.tool_choice = toolChoice;
  if (body.max_output_tokens !== undefined) request.max_completion_tokens = body.max_output_tokens;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.top_p = body.top_p;
  const format = responseFormat(body.text?.format);
  if (format) request.response_format = format;
  const effort = reasoningEffort(body.reasoning?.effort);
  if (effort) request.reasoning_effort = effort;
  const tier = serviceTier(body.service_tier);
  if (tier) request.service_tier = tier;
  return request;
}

export function toMessages(items: readonly LocatedItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let turn: AssistantMessage | undefined;
  const assistantTurn = (): AssistantMessage => {
    turn ??= { role: "assistant", content: null };
    return turn;
  };
  const endTurn = () => {
    if (turn) messages.push(turn);
    turn = undefined;
  };

  for (const { item, path } of items) {
    switch (item.type) {
      case "message":
        if (item.role === "assistant") {
          appendText(assistantTurn(), textOf(item, path));
        } else {
          endTurn();
          messages.push(plainMessage(item, path));
        }
        break;
      case "reasoning": {
        const block = decodeBlock(item.encrypted_content);
        // Reasoning without its Bedrock block cannot be sent back (Bedrock checks the signature): it is left out.
        if (block) {
          const owner = assistantTurn();
          owner.thinking_blocks = [...(owner.thinking_blocks ?? []), block];
        }
        break;
      }
      case "function_call":
      case "custom_tool_call":
      case "local_shell_call": {
        const call = toolCallOf(item);
        if (call) {
          const owner = assistantTurn();
          owner.tool_calls = [...(owner.tool_calls ?? []), call];
        }
        break;
      }
      case "function_call_output":
      case "custom_tool_call_output":
        endTurn();
        messages.push({ role: "tool", tool_call_id: item.call_id, content: toolOutput(item.output) });
        break;
      case "local_shell_call_output":
        endTurn();
        messages.push({ role: "tool", tool_call_id: item.call_id ?? item.id, content: item.output });
        break;
    }
  }
  endTurn();
  return messages;
}

function plainMessage(item: MessageInputItem, path: string): ChatMessage {
  if (item.role === "user") {
    if (typeof item.content === "string") return { role: "user", content: item.content };
    return { role: "user", content: item.content.map((part, i) => userPart(part, `${path}.content[${i}]`)) };
  }
  return { role: item.role === "developer" ? "developer" : "system", content: textOf(item, path) };
}

function userPart(part: ResponsesContentPart, path: string): ContentPart {
  if (part.type === "input_file") return filePart(part, path);
  if (part.type !== "input_image") return { type: "text", text: partText(part) };
  if (!part.image_url) {
    throw errors.badField(
      `Invalid value for '${path}': images by file_id are not supported; send image_url as a data: URL.`,
      path,
    );
  }
  const detail = part.detail === "original" ? undefined : part.detail;
  return { type: "image_url", image_url: { url: part.image_url, ...(detail && { detail }) } };
}

/**
 * input_file -> the chat contract's file part (the library names, formats and checks the document against the
 * model). Only inline data reaches Bedrock: it has no file store for file_id and cannot fetch file_url.
 */
function filePart(part: InputFilePart, path: string): ContentPart {
  if (part.file_data === undefined) {
    const given = part.file_id !== undefined ? "file_id" : part.file_url !== undefined ? "file_url" : undefined;
    const why = given
      ? `files by ${given} are not supported (Amazon Bedrock has no file store and cannot fetch URLs)`
      : "file_data is required";
    throw errors.badField(
      `Invalid value for '${path}': ${why}; send the file inline as file_data (a data: URL or base64) with its filename.`,
      `${path}.${given ?? "file_data"}`,
    );
  }
  const file: FileContentPart["file"] = { file_data: part.file_data };
  if (part.filename !== undefined) file.filename = part.filename;
  return { type: "file", file, ...(part.citations && { citations: part.citations }) };
}

function textOf(item: MessageInputItem, path: string): TextContentPart[] {
  if (typeof item.content === "string") return [{ type: "text", text: item.content }];
  return item.content.map((part, i) => {
    if (part.type === "input_image" || part.type === "input_file") {
      const at = `${path}.content[${i}]`;
      const what = part.type === "input_image" ? "images" : "files";
      throw errors.badField(`Invalid value for '${at}': only user messages may hold ${what}.`, at);
    }
    return { type: "text", text: partText(part) };
  });
}

function partText(part: Exclude<ResponsesContentPart, { type: "input_image" | "input_file" }>): string {
  return part.type === "refusal" ? part.refusal : part.text;
}

function appendText(turn: AssistantMessage, parts: TextContentPart[]): void {
  const existing = turn.content;
  const before: TextContentPart[] =
    existing == null ? [] : typeof existing === "string" ? [{ type: "text", text: existing }] : existing;
  turn.content = [...before, ...parts];
}

function toolOutput(output: string | { type: "input_text"; text: string }[]): string | TextContentPart[] {
  if (typeof output === "string") return output;
  return output.map((part) => ({ type: "text", text: part.text }));
}

function responseFormat(format: TextFormatParam | undefined): ResponseFormat | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  return {
    type: "json_schema",
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.description !== undefined && { description: format.description }),
      ...(format.strict !== undefined && { strict: format.strict }),
    },
  };
}

/** OpenAI's `none` asks for no reasoning (the section's own setting still applies); `minimal` is the lowest. */
function reasoningEffort(effort: string | undefined): ReasoningEffort | undefined {
  if (effort === undefined || effort === "none") return undefined;
  if (effort === "minimal") return "low";
  return effort as ReasoningEffort;
}

function serviceTier(tier: string | undefined): ServiceTier | undefined {
  return tier === "default" || tier === "flex" || tier === "priority" ? tier : undefined;
}
