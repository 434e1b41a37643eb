/**
 * Cheap token estimates (about 4 characters a token) used only to decide where cache points pay off.
 * Each message object is measured once and remembered, so a long conversation re-sent every turn costs
 * one lookup per message, not a re-serialisation.
 */
import type { ChatMessage, FunctionTool } from "../chat/index.js";

const CHARS_PER_TOKEN = 4;
/** Rough cost of one image, in tokens (Claude: about width*height/750; a typical screenshot). */
const IMAGE_TOKENS = 1_600;

/** Rough cost of one video (Amazon Nova samples frames), in tokens. */
const VIDEO_TOKENS = 3_200;

const remembered = new WeakMap<object, number>();

/** A document's characters are about its bytes: three quarters of its base64 (an S3 URI counts as nothing). */
function base64Chars(data: string | undefined): number {
  if (!data || data.startsWith("s3://")) return 0;
  return Math.floor((data.length - Math.max(0, data.indexOf(",") + 1)) * 0.75);
}

function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) {
    if (part?.type === "text") chars += (part.text as string | undefined)?.length ?? 0;
    else if (part?.type === "image_url") chars += IMAGE_TOKENS * CHARS_PER_TOKEN;
    else if (part?.type === "video_url") chars += VIDEO_TOKENS * CHARS_PER_TOKEN;
    else if (part?.type === "file") chars += base64Chars(part.file?.file_data);
    else if (part?.type === "document") {
      chars += part.document?.text?.length ?? base64Chars(part.document?.data);
    }
  }
  return chars;
}

function measureMessage(message: ChatMessage): number {
  let chars = contentChars(message.content);
  if (message.role === "assistant") {
    for (const call of message.tool_calls ?? []) {
      const args: unknown = call.function.arguments;
      chars += call.function.name.length + (typeof args === "string" ? args.length : 0);
    }
    for (const block of message.thinking_blocks ?? []) chars += block.thinking?.length ?? block.data?.length ?? 0;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function estimateMessageTokens(message: ChatMessage): number {
  let tokens = remembered.get(message);
  if (tokens === undefined) {
    tokens = measureMessage(message);
    remembered.set(message, tokens);
  }
  return tokens;
}

export function estimateToolsTokens(tools: FunctionTool[]): number {
  let tokens = remembered.get(tools);
  if (tokens === undefined) {
    tokens = Math.ceil(JSON.stringify(tools).length / CHARS_PER_TOKEN);
    remembered.set(tools, tokens);
  }
  return tokens;
}

/** Framing of one message (role, separators), in tokens. */
const MESSAGE_OVERHEAD_TOKENS = 3;

/** The whole request's input, estimated: messages, their framing, and the tool definitions. */
export function estimateRequestTokens(request: { messages: ChatMessage[]; tools?: FunctionTool[] }): number {
  let tokens = request.tools ? estimateToolsTokens(request.tools) : 0;
  for (const message of request.messages) tokens += estimateMessageTokens(message) + MESSAGE_OVERHEAD_TOKENS;
  return tokens;
}
