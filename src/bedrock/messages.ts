/**
 * OpenAI chat messages -> Converse `system` and `messages`. Converse wants a conversation that starts with a user
 * turn and alternates roles, with no empty or whitespace-only text, tool results grouped in one user turn right
 * after the assistant turn that asked for them, and reasoning blocks sent back first in their assistant turn.
 * One pass over the messages; token estimates per turn are collected on the way for cache point placement.
 */
import type { CachePointBlock, ContentBlock, Message, SystemContentBlock } from "@aws-sdk/client-bedrock-runtime";
import type { DocumentType } from "@smithy/types";
import type { AssistantMessage, ChatMessage, ContentPart, TextContentPart, ThinkingBlock } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";
import { DocumentNamer } from "./document-names.js";
import { documentBlock } from "./documents.js";
import { estimateMessageTokens } from "./estimate.js";
import { imageBlock } from "./images.js";
import { videoBlock } from "./video.js";

/** Text Bedrock accepts where an empty turn or tool result would be refused. */
const EMPTY_TURN_TEXT = ".";
const EMPTY_TOOL_RESULT_TEXT = "(no output)";

/**
 * A cache_control hint on a content part, already in place as a cache point block right after the part; the cache
 * point policy keeps it or takes it out again (too short a prefix, too many points).
 */
export interface CacheHint {
  marker: { cachePoint: CachePointBlock };
  /** Estimated tokens of the prompt prefix the point would close, not counting tools. */
  prefixTokens: number;
  /** TTL the hint asked for, if any. */
  ttl?: "5m" | "1h";
}

export interface ConvertedConversation {
  system: SystemContentBlock[];
  systemTokens: number;
  messages: Message[];
  /** Estimated tokens of system + messages up to and including messages[i]. */
  prefixTokens: number[];
  hints: CacheHint[];
  /** The conversation holds toolUse / toolResult blocks, so Bedrock requires a toolConfig. */
  usesTools: boolean;
}

const NON_BLANK = /\S/;

/** Whitespace-only text is refused by Converse. A regex stops at the first visible character; trim() would copy. */
function isBlank(text: string | undefined): boolean {
  return text === undefined || !NON_BLANK.test(text);
}

function textParts(content: string | TextContentPart[] | null | undefined): TextContentPart[] {
  if (content == null) return [];
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

function thinkingBlock(block: ThinkingBlock): ContentBlock | undefined {
  if (block.type === "redacted_thinking") {
    return block.data ? { reasoningContent: { redactedContent: Buffer.from(block.data, "base64") } } : undefined;
  }
  if (block.thinking === undefined) return undefined;
  return { reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } };
}

function toolInput(raw: string | object | null | undefined, id: string): { [key: string]: DocumentType } {
  if (raw == null || (typeof raw === "string" && isBlank(raw))) return {};
  let parsed: unknown = raw;
  // Some clients send the arguments as an object rather than JSON text.
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ValidationError(
        `tool_calls "${id}": function.arguments is not valid JSON; Bedrock needs a JSON object.`,
      );
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ValidationError(`tool_calls "${id}": function.arguments must be a JSON object.`);
  }
  return parsed as { [key: string]: DocumentType };
}

function checkMessageShape(message: ChatMessage, index: number): void {
  if (typeof message !== "object" || message === null) {
    throw new ValidationError(`messages[${index}] must be an object with a role and content.`);
  }
  const content = (message as { content?: unknown }).content;
  if (content != null && typeof content !== "string" && !Array.isArray(content)) {
    throw new ValidationError(
      `messages[${index}].content must be a string, an array of content parts or null, not ${typeof content}.`,
    );
  }
}

class ConversationBuilder {
  readonly system: SystemContentBlock[] = [];
  readonly messages: Message[] = [];
  readonly prefixTokens: number[] = [];
  readonly hints: CacheHint[] = [];
  systemTokens = 0;
  usesTools = false;
  private running = 0;
  /** Document names are unique across the whole request. */
  private documentNames: DocumentNamer | undefined;

  constructor(
    private readonly info: ModelInfo,
    /** The model caches: hints become cache points and token estimates are kept (skipped otherwise). */
    private readonly caching: boolean,
  ) {}

  add(message: ChatMessage, index: number): void {
    checkMessageShape(message, index);
    const tokens = this.caching ? estimateMessageTokens(message) : 0;
    switch (message.role) {
      case "system":
      case "developer":
        this.systemTokens += tokens;
        this.running += tokens;
        this.addSystem(message.content);
        return;
      case "user":
        this.running += tokens;
        this.push("user", this.userBlocks(message.content));
        return;
      case "assistant":
        this.running += tokens;
        this.push("assistant", this.assistantBlocks(message));
        return;
      case "tool":
        this.requireTools();
        this.running += tokens;
        this.push("user", [this.toolResult(message.tool_call_id, message.content)]);
        return;
      default:
        throw new ValidationError(`Unknown message role "${(message as { role: string }).role}".`);
    }
  }

  private addSystem(content: string | TextContentPart[]): void {
    for (const part of textParts(content)) {
      if (isBlank(part.text)) continue;
      this.system.push({ text: part.text });
      if (part.cache_control) this.hint(this.system, part.cache_control.ttl);
    }
  }

  private userBlocks(content: string | ContentPart[] | null): ContentBlock[] {
    if (content == null) return [];
    if (typeof content === "string") return isBlank(content) ? [] : [{ text: content }];
    const blocks: ContentBlock[] = [];
    for (const part of content) {
      if (part.type === "image_url") {
        if (!this.info.images) {
          throw new ValidationError(`${this.info.name} (${this.info.id}) does not accept images; send text only.`);
        }
        blocks.push(imageBlock(part, this.info));
      } else if (part.type === "file" || part.type === "document") {
        // Made for the first document: most requests have none.
        this.documentNames ??= new DocumentNamer();
        blocks.push(documentBlock(part, this.info, this.documentNames));
      } else if (part.type === "video_url") {
        blocks.push(videoBlock(part, this.info));
      } else if (part.type === "text") {
        if (isBlank(part.text)) continue;
        blocks.push({ text: part.text });
      } else {
        throw new ValidationError(
          `Content part type "${(part as { type?: string }).type}" is not supported: send text, image_url, file, document or video_url parts.`,
        );
      }
      if (part.cache_control) this.hint(blocks, part.cache_control.ttl);
    }
    return blocks;
  }

  private assistantBlocks(message: AssistantMessage): ContentBlock[] {
    const blocks: ContentBlock[] = [];
    // Reasoning goes first, signatures untouched: Bedrock verifies them in tool-use loops.
    for (const thinking of message.thinking_blocks ?? []) {
      const block = thinkingBlock(thinking);
      if (block) blocks.push(block);
    }
    for (const part of textParts(message.content)) {
      if (!isBlank(part.text)) blocks.push({ text: part.text });
    }
    if (message.tool_calls?.length) {
      this.requireTools();
      for (const call of message.tool_calls) {
        blocks.push({
          toolUse: {
            toolUseId: call.id,
            name: call.function.name,
            input: toolInput(call.function.arguments as string | object | null, call.id),
          },
        });
      }
    }
    return blocks;
  }

  private toolResult(toolUseId: string, content: string | TextContentPart[]): ContentBlock {
    const texts: { text: string }[] = [];
    for (const part of textParts(content)) if (!isBlank(part.text)) texts.push({ text: part.text });
    if (texts.length === 0) texts.push({ text: EMPTY_TOOL_RESULT_TEXT });
    return { toolResult: { toolUseId, content: texts } };
  }

  private requireTools(): void {
    this.usesTools = true;
    if (!this.info.tools) {
      throw new ValidationError(
        `${this.info.name} (${this.info.id}) does not support tool use through Converse: remove tools, tool_calls and tool messages, or choose a model with tool support.`,
      );
    }
  }

  private hint(blocks: (ContentBlock | SystemContentBlock)[], ttl?: "5m" | "1h"): void {
    if (!this.caching) return;
    const marker = { cachePoint: { type: "default" as const } };
    blocks.push(marker);
    this.hints.push({ marker, prefixTokens: this.running, ...(ttl ? { ttl } : {}) });
  }

  /** Appends a turn, merging it into the previous one when the role repeats (Converse requires alternation). */
  private push(role: "user" | "assistant", blocks: ContentBlock[]): void {
    if (blocks.length === 0) return;
    const last = this.messages[this.messages.length - 1];
    if (last?.role === role && last.content) {
      if (role === "user" && blocks[0]?.toolResult) insertToolResults(last.content, blocks);
      else last.content.push(...blocks);
      this.prefixTokens[this.prefixTokens.length - 1] = this.running;
      return;
    }
    this.messages.push({ role, content: blocks });
    this.prefixTokens.push(this.running);
  }
}

/** Tool results lead their user turn, before any text the user added after them. */
function insertToolResults(content: ContentBlock[], results: ContentBlock[]): void {
  let at = 0;
  while (at < content.length && content[at]?.toolResult) at += 1;
  content.splice(at, 0, ...results);
}

/** Prefill (a final assistant turn) may not end with whitespace. */
function trimFinalAssistant(messages: Message[]): void {
  const last = messages[messages.length - 1];
  if (last?.role !== "assistant" || !last.content) return;
  const block = last.content[last.content.length - 1];
  if (block?.text !== undefined) block.text = block.text.trimEnd();
}

export function convertMessages(input: ChatMessage[], info: ModelInfo, caching: boolean): ConvertedConversation {
  const builder = new ConversationBuilder(info, caching);
  // JavaScript callers get a ValidationError naming the field rather than a TypeError from deep inside.
  if (!Array.isArray(input)) {
    throw new ValidationError("messages must be an array of chat messages ({ role, content }, as in OpenAI's API).");
  }
  for (const [index, message] of input.entries()) builder.add(message, index);
  const { messages, prefixTokens } = builder;
  if (messages.length === 0) {
    throw new ValidationError("messages needs at least one user, assistant or tool message besides system messages.");
  }
  if (messages[0]?.role !== "user") {
    messages.unshift({ role: "user", content: [{ text: EMPTY_TURN_TEXT }] });
    prefixTokens.unshift(builder.systemTokens);
  }
  trimFinalAssistant(messages);
  let system = builder.system;
  if (!info.systemPrompt && system.length > 0) {
    // Models without a system prompt (Titan Text) read it as the start of the first user turn.
    const folded: ContentBlock[] = system.filter((block) => block.text !== undefined) as ContentBlock[];
    messages[0]?.content?.unshift(...folded);
    system = [];
  }
  return {
    system,
    systemTokens: builder.systemTokens,
    messages,
    prefixTokens,
    hints: builder.hints,
    usesTools: builder.usesTools,
  };
}
