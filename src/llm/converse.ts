/**
 * The attempts of completion() and stream(): Converse and ConverseStream on the call's client, and how their
 * results become what the caller gets and what the finish step records.
 */
import {
  ConverseCommand,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { send } from "../auth/sdk-handler.js";
import { toChatCompletion } from "../bedrock/response.js";
import { StreamTranslator, streamException } from "../bedrock/stream.js";
import type { Call } from "./call.js";
import type { Finished } from "./finish.js";
import type { ChatCompletion, ChatCompletionChunk, CompletionUsage } from "./types.js";

/**
 * ConverseStream on the client's shared HTTP/2 session. The SDK marks every operation with an event stream
 * `isEventStream` and its HTTP/2 handler then opens a session of its own for the call (a TCP + TLS handshake, torn
 * down after), which bidirectional streams need. ConverseStream only streams the response, which multiplexes like
 * any response: an unread stream is held back by its own flow-control window, not the session's. The handler
 * option given per call takes precedence over the operation's. Through the gateway this halved the time of a
 * streamed call and doubled the streams per second (docs/GATEWAY.md, Performance).
 */
const SHARED_SESSION = { isEventStream: false } as const;

function responseId(requestId: string | undefined): string {
  return `chatcmpl-${requestId ?? crypto.randomUUID()}`;
}

/**
 * completion()'s attempt: one Converse call. A reply without a message or stop reason was cut short (an HTTP/2
 * session that ended while its body was on the way can leave an empty body, which parses as {}): a dropped
 * connection, retried, never an empty completion.
 */
export async function sendConverse(call: Call): Promise<ConverseCommandOutput> {
  const output = await send(call.client, new ConverseCommand(call.input), { abortSignal: call.control.sdkSignal });
  if (output.output === undefined || output.stopReason === undefined) {
    if (call.control.aborted) throw call.control.abortError();
    throw replyCutShort(call, "reply");
  }
  return output;
}

export function toCompletion(call: Call, output: ConverseCommandOutput): ChatCompletion {
  const completion = toChatCompletion(output, responseId(output.$metadata.requestId), call.model.profile.sentId);
  completion.served_by = call.target.name;
  return completion;
}

/**
 * A stream that stopped before Bedrock's messageStop: the connection closed under it without an error (an HTTP/2
 * session can end its streams quietly). It counts as a dropped connection: retried before content, broken after.
 */
export function streamEndedEarly(call: Call): Error {
  return replyCutShort(call, "stream");
}

function replyCutShort(call: Call, what: "reply" | "stream"): Error {
  const ending = what === "stream" ? " (no messageStop)" : " (no message or stop reason)";
  const error = new Error(
    `The ${what} from ${call.model.profile.sentId} ended before Bedrock finished it${ending}: the connection closed`,
  ) as Error & { code: string };
  error.code = "ECONNRESET";
  return error;
}

export function completionFinished(completion: ChatCompletion): Finished {
  const choice = completion.choices[0];
  return {
    id: completion.id,
    usage: completion.usage,
    finishReason: choice?.finish_reason,
    guardrailTrace: completion.guardrail_trace,
    outputText: choice?.message.content ?? "",
    priced(cost) {
      completion.cost = cost;
      return { response: completion };
    },
  };
}

/**
 * stream()'s attempt: opens ConverseStream and reads it up to its first content, so that a failure before any
 * content is retried (a fresh stream, nothing repeated) and one after it is not. The reply carries on from there.
 */
export async function openConverseStream(call: Call, continuing?: StreamTranslator): Promise<StreamReply> {
  const response = await send(call.client, new ConverseStreamCommand(call.input), {
    abortSignal: call.control.sdkSignal,
    ...SHARED_SESSION,
  });
  const events = (response.stream ?? NO_EVENTS)[Symbol.asyncIterator]();
  const reply = new StreamReply(call, responseId(response.$metadata.requestId), events, continuing);
  for (let next = await events.next(); !next.done; next = await events.next()) {
    let chunk: ChatCompletionChunk | undefined;
    try {
      chunk = reply.translate(next.value);
    } catch (frame) {
      await events.return?.();
      throw frame;
    }
    if (reply.translator.started) {
      reply.first = chunk;
      return reply;
    }
  }
  // An abort can close the HTTP/2 stream quietly: the events just stop.
  if (call.control.aborted) throw call.control.abortError();
  if (reply.translator.stopReason === undefined) throw streamEndedEarly(call);
  return reply;
}

const NO_EVENTS: AsyncIterable<ConverseStreamOutput> = {
  async *[Symbol.asyncIterator]() {},
};

/** An open ConverseStream past its first content: iterate it for the remaining events. */
export class StreamReply implements AsyncIterable<ConverseStreamOutput> {
  readonly translator: StreamTranslator;
  /** The chunk of the first content event, if it made one. */
  first: ChatCompletionChunk | undefined;
  timeToFirstTokenMs: number | undefined;
  /**
   * Going on after a prefill that lost its trailing whitespace (Bedrock refuses it): the caller already has that
   * whitespace, so the continuation's leading whitespace is dropped.
   */
  private trimLeading: boolean;

  constructor(
    private readonly call: Call,
    id: string,
    private readonly events: AsyncIterator<ConverseStreamOutput>,
    /** The broken stream's translator, when this stream goes on from its text (same id, text, tool state). */
    continuing?: StreamTranslator,
  ) {
    this.translator = continuing ?? new StreamTranslator(id, call.model.profile.sentId);
    this.trimLeading = continuing !== undefined && /\s$/.test(continuing.partialText);
  }

  [Symbol.asyncIterator](): AsyncIterator<ConverseStreamOutput> {
    return this.events;
  }

  /** One event -> the chunk for the caller, if any; an exception frame is thrown. */
  translate(event: ConverseStreamOutput): ChatCompletionChunk | undefined {
    this.call.control.progress();
    const failure = streamException(event);
    if (failure) throw failure;
    const chunk = this.translator.translate(this.trimLeading ? this.trimmed(event) : event);
    if (chunk) this.timeToFirstTokenMs ??= performance.now() - this.call.started;
    return chunk;
  }

  /** Whether the stream ended as Bedrock ends one (with messageStop), not cut short. */
  get complete(): boolean {
    return this.translator.stopReason !== undefined;
  }

  /** The last chunk (finish_reason, usage) and what the finish step needs about the whole reply. */
  finish(): { last: ChatCompletionChunk; finished: Finished } {
    const { translator } = this;
    const last = translator.finish();
    last.served_by = this.call.target.name;
    const usage = last.usage as CompletionUsage;
    const finishReason = last.choices[0]?.finish_reason ?? null;
    const finished: Finished = {
      id: last.id,
      usage,
      finishReason,
      guardrailTrace: last.guardrail_trace,
      outputText: translator.partialText,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
      priced: (cost) => {
        last.cost = cost;
        return {
          response: { content: translator.partialText, tool_calls: translator.toolCalls, finish_reason: finishReason },
          usage,
          cost,
          time_to_first_token_ms: this.timeToFirstTokenMs,
        };
      },
    };
    return { last, finished };
  }

  /** The event with its text's leading whitespace dropped, until the first text that is not only whitespace. */
  private trimmed(event: ConverseStreamOutput): ConverseStreamOutput {
    const block = event.contentBlockDelta;
    const text = block?.delta?.text;
    if (!block || text === undefined) return event;
    const kept = text.trimStart();
    if (kept === "") return { contentBlockDelta: { ...block, delta: undefined } };
    this.trimLeading = false;
    return { contentBlockDelta: { ...block, delta: { text: kept } } };
  }
}
