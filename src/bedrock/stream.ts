/**
 * ConverseStream events -> OpenAI ChatCompletionChunks. Stateful per stream: tool calls get OpenAI's running
 * index (id and name first, then argument fragments), reasoning text streams as reasoning_content and each
 * finished reasoning block is emitted whole (with its signature) as thinking_blocks. The stop reason is held
 * until the metadata event so the last chunk carries finish_reason and usage together.
 */
import type {
  ConverseStreamOutput,
  ReasoningContentBlockDelta,
  StopReason,
  TokenUsage,
} from "@aws-sdk/client-bedrock-runtime";
import type { ChatCompletionChunk, ThinkingBlock } from "../chat/index.js";
import { citationDelta } from "./citations.js";
import { finishReason, toUsage } from "./usage.js";

type Delta = ChatCompletionChunk["choices"][number]["delta"];

interface ReasoningState {
  text: string;
  signature?: string;
  redacted?: Uint8Array[];
}

/**
 * Exception members a response stream may deliver in place of events (modelTimeoutException is the InvokeModel
 * stream's; ConverseStream sends a model timeout as modelStreamErrorException with its original status).
 */
const STREAM_EXCEPTIONS = [
  "internalServerException",
  "modelStreamErrorException",
  "modelTimeoutException",
  "serviceUnavailableException",
  "throttlingException",
  "validationException",
] as const;

/** An exception frame as the error it stands for. */
export interface StreamExceptionError extends Error {
  /** modelStreamErrorException: the status of the error Bedrock wrapped in the frame, when it says. */
  originalStatusCode?: number;
}

/** An exception frame as an Error named like the SDK names thrown exceptions (e.g. "ThrottlingException"). */
export function streamException(event: ConverseStreamOutput): StreamExceptionError | undefined {
  // Every member of the union has each exception key, typed never where it is not that exception.
  const frame: Partial<Record<(typeof STREAM_EXCEPTIONS)[number], { message?: string; originalStatusCode?: number }>> =
    event;
  for (const key of STREAM_EXCEPTIONS) {
    const value = frame[key];
    if (value) {
      const error: StreamExceptionError = new Error(value.message ?? key);
      error.name = key[0]?.toUpperCase() + key.slice(1);
      if (typeof value.originalStatusCode === "number") error.originalStatusCode = value.originalStatusCode;
      return error;
    }
  }
  return undefined;
}

export class StreamTranslator {
  /**
   * Text delivered so far, kept for errors that end the stream midway (read at the end or on an error). Held as its
   * pieces until read: appending to a string builds a rope of 20-odd bytes per piece that lives as long as the
   * stream, about three times what an array of the pieces costs (1,000 streams of 1,000 deltas: 32 MB against 10).
   */
  get partialText(): string {
    if (this.textPieces.length > 0) {
      this.text += this.textPieces.join("");
      this.textPieces.length = 0;
    }
    return this.text;
  }
  private text = "";
  private readonly textPieces: string[] = [];
  /** Tool calls delivered so far, assembled (for the completion log). */
  readonly toolCalls: { id: string; name: string; arguments: string }[] = [];
  /** A content event has been translated (after this, failures are no longer retried). */
  started = false;
  /** Reasoning has been delivered (a reply with reasoning or tool calls cannot be continued from its text). */
  private reasoned = false;
  stopReason: StopReason | string | undefined;
  usage: TokenUsage | undefined;
  trace: unknown;
  serviceTier: string | undefined;
  additionalFields: Record<string, unknown> | undefined;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly toolIndexByBlock = new Map<number, number>();
  private readonly reasoningByBlock = new Map<number, ReasoningState>();
  private roleSent = false;

  constructor(
    readonly id: string,
    readonly model: string,
  ) {}

  /** The chunk for one event, or undefined when the event carries nothing for the caller. */
  translate(event: ConverseStreamOutput): ChatCompletionChunk | undefined {
    if (event.contentBlockDelta) {
      const { delta, contentBlockIndex = 0 } = event.contentBlockDelta;
      if (!delta) return undefined;
      this.started = true;
      if (delta.text !== undefined) {
        this.textPieces.push(delta.text);
        return this.chunk({ content: delta.text });
      }
      if (delta.toolUse) {
        const index = this.toolIndex(contentBlockIndex);
        const fragment = delta.toolUse.input ?? "";
        const call = this.toolCalls[index];
        if (call) call.arguments += fragment;
        return this.chunk({ tool_calls: [{ index, function: { arguments: fragment } }] });
      }
      if (delta.reasoningContent) return this.reasoningDelta(contentBlockIndex, delta.reasoningContent);
      if (delta.citation) return this.chunk({ citations: [citationDelta(delta.citation)] });
      return undefined;
    }
    if (event.contentBlockStart) {
      const { start, contentBlockIndex = 0 } = event.contentBlockStart;
      if (!start?.toolUse) return undefined;
      this.started = true;
      const index = this.toolIndex(contentBlockIndex);
      const { toolUseId, name } = start.toolUse;
      this.toolCalls[index] = { id: toolUseId ?? "", name: name ?? "", arguments: "" };
      return this.chunk({
        tool_calls: [{ index, id: toolUseId ?? "", type: "function", function: { name: name ?? "", arguments: "" } }],
      });
    }
    if (event.contentBlockStop) {
      const index = event.contentBlockStop.contentBlockIndex ?? 0;
      const reasoning = this.reasoningByBlock.get(index);
      if (!reasoning) return undefined;
      this.reasoningByBlock.delete(index);
      return this.chunk({ thinking_blocks: [finishedThinking(reasoning)] });
    }
    if (event.messageStop) {
      this.stopReason = event.messageStop.stopReason;
      const fields = event.messageStop.additionalModelResponseFields;
      if (fields !== undefined) this.additionalFields = fields as Record<string, unknown>;
      return undefined;
    }
    if (event.metadata) {
      this.usage = event.metadata.usage;
      if (event.metadata.trace?.guardrail) this.trace = event.metadata.trace.guardrail;
      this.serviceTier = event.metadata.serviceTier?.type;
    }
    return undefined;
  }

  /** Whether all that was delivered is text: no tool call, no reasoning. */
  get textOnly(): boolean {
    return this.toolCalls.length === 0 && !this.reasoned;
  }

  /** The last chunk: finish_reason and usage (cost is added by the caller). */
  finish(): ChatCompletionChunk {
    const last = this.chunk({}, finishReason(this.stopReason));
    last.usage = toUsage(this.usage);
    if (this.trace !== undefined) last.guardrail_trace = this.trace;
    if (this.additionalFields !== undefined) last.additional_model_response_fields = this.additionalFields;
    return last;
  }

  private reasoningDelta(blockIndex: number, delta: ReasoningContentBlockDelta): ChatCompletionChunk | undefined {
    this.reasoned = true;
    let state = this.reasoningByBlock.get(blockIndex);
    if (!state) {
      state = { text: "" };
      this.reasoningByBlock.set(blockIndex, state);
    }
    if (delta.text !== undefined) {
      state.text += delta.text;
      return this.chunk({ reasoning_content: delta.text });
    }
    if (delta.signature !== undefined) state.signature = (state.signature ?? "") + delta.signature;
    else if (delta.redactedContent) {
      state.redacted ??= [];
      state.redacted.push(delta.redactedContent);
    }
    return undefined;
  }

  private toolIndex(blockIndex: number): number {
    let index = this.toolIndexByBlock.get(blockIndex);
    if (index === undefined) {
      index = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(blockIndex, index);
    }
    return index;
  }

  private chunk(delta: Delta, finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null) {
    if (!this.roleSent) {
      delta.role = "assistant";
      this.roleSent = true;
    }
    const chunk: ChatCompletionChunk = {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    };
    return chunk;
  }
}

function finishedThinking(state: ReasoningState): ThinkingBlock {
  if (state.redacted) {
    return { type: "redacted_thinking", data: Buffer.concat(state.redacted).toString("base64") };
  }
  return { type: "thinking", thinking: state.text, ...(state.signature ? { signature: state.signature } : {}) };
}
