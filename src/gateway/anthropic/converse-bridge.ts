/**
 * Models other than Claude take no Messages body: the request is translated to the chat contract (the library
 * sends it with Converse), and the completion, or its chunks, back to Anthropic's message, or its events.
 * Blocks map one for one where the contract has them (text, base64 images, base64 PDF and text documents with
 * citations, each with its cache_control; tool_use and tool_result, thinking with its signature, redacted_thinking);
 * what only Claude has (other document sources, server and client tools) is a 400 that says so.
 */
import type {
  CacheControl,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  CitationSource,
  CompletionUsage,
  ContentPart,
  DocumentContentPart,
  FinishReason,
  FunctionTool,
  ThinkingBlock,
  ToolCall,
  ToolChoice,
} from "../../chat/index.js";
import type { AnthropicMessage, AnthropicUsage } from "../../llm/index.js";
import { anthropicCitations, textBlocks } from "./citations.js";
import { invalidRequest } from "./errors.js";
import type { MessagesBody } from "./request.js";

type Json = Record<string, unknown>;
type Effort = NonNullable<ChatCompletionRequest["reasoning_effort"]>;

const EFFORTS: readonly string[] = ["low", "medium", "high", "xhigh", "max"];

/** What the translation needs to know of the model. */
export interface TargetModel {
  /** It takes extended thinking. */
  thinks: boolean;
  maxOutputTokens: number;
  /** It reads documents (else a PDF is refused and a text document sent as text); unknown: the library checks. */
  documents?: boolean;
}

const ANY_MODEL: TargetModel = { thinks: true, maxOutputTokens: Number.POSITIVE_INFINITY, documents: true };

/**
 * The chat request for a Messages API body (system entries already folded). A client such as Claude Code picks
 * max_tokens and thinking for the Claude model it believes it talks to: for this model, max_tokens is lowered to
 * its output limit and thinking left out when it has none.
 */
export function toChatRequest(body: MessagesBody, signal: AbortSignal, model = ANY_MODEL): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  const system = systemParts(body.system);
  if (system.length > 0) messages.push({ role: "system", content: system });
  body.messages.forEach((message, m) => {
    if (message.role === "assistant") messages.push(assistantMessage(message.content, m));
    else if (message.role === "user") messages.push(...userMessages(message.content, m, model));
  });
  const request: ChatCompletionRequest = { messages, signal };
  if (body.max_tokens !== undefined) request.max_tokens = Math.min(body.max_tokens, model.maxOutputTokens);
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.top_p = body.top_p;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  if (body.tools?.length) request.tools = body.tools.map(functionTool);
  const choice = toolChoice(body.tool_choice);
  if (choice) request.tool_choice = choice;
  const effort = model.thinks ? reasoningEffort(body) : undefined;
  if (effort) request.reasoning_effort = effort;
  return request;
}

function systemParts(system: MessagesBody["system"]): { type: "text"; text: string; cache_control?: CacheControl }[] {
  if (system === undefined || system === "") return [];
  if (typeof system === "string") return [{ type: "text", text: system }];
  return system.map((block) => textPart(block));
}

function textPart(block: Json): { type: "text"; text: string; cache_control?: CacheControl } {
  const control = cacheControlOf(block);
  return { type: "text", text: String(block.text), ...(control && { cache_control: control }) };
}

/** A block's cache_control as the contract takes it (a cache point after the part), on any kind of block. */
function cacheControlOf(block: Json): CacheControl | undefined {
  const control = block.cache_control as { type?: string; ttl?: string } | undefined;
  if (control?.type !== "ephemeral") return undefined;
  return control.ttl === "5m" || control.ttl === "1h" ? { type: "ephemeral", ttl: control.ttl } : { type: "ephemeral" };
}

/** A user turn: its tool results become tool messages (first, as the contract wants them after the call). */
function userMessages(content: string | Json[], m: number, model: TargetModel): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  content.forEach((block, b) => {
    const at = `messages.${m}.content.${b}`;
    switch (block.type) {
      case "tool_result":
        tools.push({ role: "tool", tool_call_id: String(block.tool_use_id), content: toolResultText(block.content) });
        break;
      case "text":
        parts.push(textPart(block));
        break;
      case "image":
        parts.push(imagePart(block, at));
        break;
      case "document":
        parts.push(documentPart(block, at, model));
        break;
      default:
        throw invalidRequest(`${at}: ${String(block.type)} blocks need a Claude model.`);
    }
  });
  return parts.length > 0 ? [...tools, { role: "user", content: parts }] : tools;
}

/**
 * A document block -> the contract's document part (a Converse document): a base64 PDF or a text source, `title`
 * as its name, `context`, `citations`. A model that takes no documents still gets a text source's text as a text
 * part (as before), unless citations are asked for; a PDF for it is a 400 naming what it can take.
 */
function documentPart(block: Json, at: string, model: TargetModel): ContentPart {
  const source = (block.source ?? {}) as Json;
  const citations = (block.citations as { enabled?: boolean } | null | undefined)?.enabled === true;
  const isText = source.type === "text";
  const isPdf = source.type === "base64" && source.media_type === "application/pdf";
  if (!isText && !isPdf) {
    throw invalidRequest(
      `${at}.source: ${String(source.type)} document sources need a Claude model; for other models send a base64 PDF (media_type application/pdf) or a text source.`,
    );
  }
  if (model.documents === false) {
    if (isText && !citations) {
      const control = cacheControlOf(block);
      return { type: "text", text: String(source.data), ...(control && { cache_control: control }) };
    }
    throw invalidRequest(
      `${at}: this model does not accept documents${isText ? " (and cannot cite one)" : ""}: send the document's text in a text block, or use a model that reads documents (Claude, Amazon Nova Lite / Pro / Premier, ...).`,
    );
  }
  const document: DocumentContentPart["document"] = isText
    ? { format: "txt", text: String(source.data) }
    : { format: "pdf", data: String(source.data) };
  // A title is not a path: its slashes are not taken for directories when the name is sanitised.
  if (typeof block.title === "string" && block.title !== "") document.name = block.title.replace(/[/\\]/g, " ");
  if (typeof block.context === "string") document.context = block.context;
  const control = cacheControlOf(block);
  return {
    type: "document",
    document,
    ...(citations && { citations: { enabled: true } }),
    ...(control && { cache_control: control }),
  };
}

function imagePart(block: Json, at: string): ContentPart {
  const source = (block.source ?? {}) as Json;
  let url: string;
  if (source.type === "base64") url = `data:${String(source.media_type)};base64,${String(source.data)}`;
  else if (source.type === "url") url = String(source.url);
  else throw invalidRequest(`${at}.source.type: use a base64 or url image source.`);
  const control = cacheControlOf(block);
  return { type: "image_url", image_url: { url }, ...(control && { cache_control: control }) };
}

/** Tool results carry text through the contract: text blocks joined, an image said to be there. */
function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: Json) => (block.type === "text" ? String(block.text) : `[${String(block.type)} omitted]`))
    .join("\n");
}

function assistantMessage(content: string | Json[], m: number): ChatMessage {
  if (typeof content === "string") return { role: "assistant", content };
  let text = "";
  const calls: ToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  content.forEach((block, b) => {
    switch (block.type) {
      case "text":
        text += String(block.text);
        break;
      case "tool_use":
        calls.push({
          id: String(block.id),
          type: "function",
          function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      case "thinking":
        thinking.push({ type: "thinking", thinking: String(block.thinking), signature: String(block.signature) });
        break;
      case "redacted_thinking":
        thinking.push({ type: "redacted_thinking", data: String(block.data) });
        break;
      default:
        throw invalidRequest(`messages.${m}.content.${b}: ${String(block.type)} blocks need a Claude model.`);
    }
  });
  return {
    role: "assistant",
    content: text === "" ? null : text,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
    ...(thinking.length > 0 ? { thinking_blocks: thinking } : {}),
  };
}

function functionTool(tool: Json, i: number): FunctionTool {
  if (tool.type !== undefined && tool.type !== "custom") {
    throw invalidRequest(`tools.${i}: ${String(tool.type)} tools need a Claude model.`);
  }
  const fn: FunctionTool["function"] = { name: String(tool.name) };
  if (typeof tool.description === "string") fn.description = tool.description;
  if (tool.input_schema && typeof tool.input_schema === "object") fn.parameters = tool.input_schema as Json;
  return { type: "function", function: fn };
}

function toolChoice(choice: MessagesBody["tool_choice"]): ToolChoice | undefined {
  switch (choice?.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: String(choice.name) } };
    default:
      return undefined;
  }
}

/** Anthropic's thinking settings in the contract's words: a budget's size, or adaptive thinking's effort. */
function reasoningEffort(body: MessagesBody): Effort | undefined {
  const thinking = body.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (thinking?.type === "enabled") {
    const budget = thinking.budget_tokens ?? 0;
    return budget <= 4096 ? "low" : budget <= 16_384 ? "medium" : "high";
  }
  if (thinking?.type !== "adaptive") return undefined;
  const effort = (body.output_config as { effort?: string } | undefined)?.effort;
  return effort && EFFORTS.includes(effort) ? (effort as Effort) : undefined;
}

const STOP_REASONS: Record<FinishReason, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
};

function stopReason(finish: FinishReason | null | undefined): string {
  return finish ? (STOP_REASONS[finish] ?? "end_turn") : "end_turn";
}

/** The library's usage in Anthropic's words: input_tokens excludes the cache reads and writes. */
export function anthropicUsage(usage: CompletionUsage): AnthropicUsage {
  const { cached_tokens: read, cache_write_tokens: write } = usage.prompt_tokens_details;
  return {
    input_tokens: usage.prompt_tokens - read - write,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    output_tokens: usage.completion_tokens,
  };
}

function messageId(completionId: string): string {
  return `msg_${completionId.replace(/^chatcmpl-/, "")}`;
}

/** A completion as Anthropic's message: thinking first, then text, then tool calls. */
export function toAnthropicMessage(completion: ChatCompletion, model: string): AnthropicMessage {
  const choice = completion.choices[0];
  const content: Json[] = [];
  for (const block of choice?.message.thinking_blocks ?? []) content.push(thinkingBlock(block));
  content.push(...textBlocks(choice?.message.content ?? "", choice?.message.citations));
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseArguments(call) });
  }
  const message: AnthropicMessage = {
    id: messageId(completion.id),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(completion.usage),
  };
  if (completion.cost !== undefined) message.cost = completion.cost;
  return message;
}

function thinkingBlock(block: ThinkingBlock): Json {
  return block.type === "redacted_thinking"
    ? { type: "redacted_thinking", data: block.data ?? "" }
    : { type: "thinking", thinking: block.thinking ?? "", signature: block.signature ?? "" };
}

function parseArguments(call: ToolCall): unknown {
  try {
    return JSON.parse(call.function.arguments || "{}");
  } catch {
    return {};
  }
}

type BlockKind = "text" | "thinking" | "tool_use";
export type NamedEvent = [name: string, data: Json];

/**
 * Chat chunks -> Anthropic's stream events, one content block at a time (the library streams blocks in order):
 * message_start at the first chunk, a block opened by the first delta of its kind and closed by the next kind,
 * then message_delta (stop reason and the whole usage, known only at the end) and message_stop.
 */
export class ChunksToEvents {
  private started = false;
  private index = -1;
  private open: BlockKind | undefined;
  /** The open text block has had text (a citation that follows starts a new passage). */
  private textSinceOpen = false;
  private finish: FinishReason | null = null;

  constructor(private readonly model: string) {}

  translate(chunk: ChatCompletionChunk): NamedEvent[] {
    const events: NamedEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push(["message_start", this.messageStart(chunk.id)]);
    }
    const choice = chunk.choices[0];
    const delta = choice?.delta;
    if (delta?.reasoning_content) {
      this.openBlock(events, "thinking", { type: "thinking", thinking: "", signature: "" });
      events.push(this.delta({ type: "thinking_delta", thinking: delta.reasoning_content }));
    }
    for (const block of delta?.thinking_blocks ?? []) this.thinkingDone(events, block);
    if (delta?.citations?.length) this.cited(events, delta.citations);
    if (delta?.content) {
      this.openBlock(events, "text", { type: "text", text: "" });
      this.textSinceOpen = true;
      events.push(this.delta({ type: "text_delta", text: delta.content }));
    }
    for (const call of delta?.tool_calls ?? []) {
      if (call.id) {
        this.close(events);
        this.openBlock(events, "tool_use", {
          type: "tool_use",
          id: call.id,
          name: call.function?.name ?? "",
          input: {},
        });
      }
      if (call.function?.arguments) {
        events.push(this.delta({ type: "input_json_delta", partial_json: call.function.arguments }));
      }
    }
    if (choice?.finish_reason) this.finish = choice.finish_reason;
    if (chunk.usage) {
      this.close(events);
      events.push([
        "message_delta",
        {
          type: "message_delta",
          delta: { stop_reason: stopReason(this.finish), stop_sequence: null },
          usage: anthropicUsage(chunk.usage),
        },
      ]);
      events.push([
        "message_stop",
        { type: "message_stop", ...(chunk.cost !== undefined ? { cost: chunk.cost } : {}) },
      ]);
    }
    return events;
  }

  private messageStart(id: string): Json {
    return {
      type: "message_start",
      message: {
        id: messageId(id),
        type: "message",
        role: "assistant",
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    };
  }

  /**
   * Cited sources come ahead of the passage that cites them (a Converse content block of its own): a text block
   * of its own is opened for it, unless the open one has had no text yet, and each source is a citations_delta.
   */
  private cited(events: NamedEvent[], sources: CitationSource[]): void {
    if (this.open === "text" && this.textSinceOpen) this.close(events);
    this.openBlock(events, "text", { type: "text", text: "" });
    for (const citation of anthropicCitations(sources)) events.push(this.delta({ type: "citations_delta", citation }));
  }

  /** A finished reasoning block: its signature closes the streamed thinking; a redacted one comes whole. */
  private thinkingDone(events: NamedEvent[], block: ThinkingBlock): void {
    if (block.type === "redacted_thinking") {
      this.close(events);
      this.openBlock(events, "thinking", { type: "redacted_thinking", data: block.data ?? "" });
      this.close(events);
      return;
    }
    if (this.open !== "thinking") {
      this.openBlock(events, "thinking", { type: "thinking", thinking: "", signature: "" });
      if (block.thinking) events.push(this.delta({ type: "thinking_delta", thinking: block.thinking }));
    }
    if (block.signature) events.push(this.delta({ type: "signature_delta", signature: block.signature }));
    this.close(events);
  }

  private openBlock(events: NamedEvent[], kind: BlockKind, contentBlock: Json): void {
    if (this.open === kind) return;
    this.close(events);
    this.index += 1;
    this.open = kind;
    this.textSinceOpen = false;
    events.push([
      "content_block_start",
      { type: "content_block_start", index: this.index, content_block: contentBlock },
    ]);
  }

  private close(events: NamedEvent[]): void {
    if (this.open === undefined) return;
    this.open = undefined;
    events.push(["content_block_stop", { type: "content_block_stop", index: this.index }]);
  }

  private delta(delta: Json): NamedEvent {
    return ["content_block_delta", { type: "content_block_delta", index: this.index, delta }];
  }
}
