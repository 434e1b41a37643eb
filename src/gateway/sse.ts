/**
 * Server-sent events as OpenAI streams them: `data: <json>\n\n` per chunk, `data: [DONE]\n\n` at the end.
 * Headers go out with the first event, so an error before any output still gets a proper status code.
 *
 * Served by @hono/node-server, events are written straight to Node's response (the route then answers
 * RESPONSE_ALREADY_SENT): events written in the same tick leave in one socket write, together with the headers
 * (the response is corked at the first write and uncorked on the next tick; Bedrock's events arrive several per
 * HTTP/2 frame, and one write per event cost a syscall each, the largest item of the streaming profile), and a
 * slow reader is written to only as fast as it reads. Under `app.request()` or another runtime the same events
 * go through the body stream of a fetch Response, with the same backpressure.
 */
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import { AbortedError } from "../errors.js";
import type { CallSlot } from "./call-slot.js";
import type { GatewayEnv } from "./context.js";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/** Where event frames go. write() returns false when the reader is behind; then wait for drained(). */
interface SseSink {
  write(frame: string): boolean;
  drained(signal: AbortSignal): Promise<void>;
  /** Ends the stream, with a last frame if given. */
  end(frame?: string): void;
  /** Cuts the stream off: the call was cancelled. */
  abandon(): void;
}

function namedFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseWriter {
  private started = false;

  constructor(
    private readonly sink: SseSink,
    private readonly signal: AbortSignal,
    /** Called at the first event: the response starts (its trace span begins). */
    private readonly onStart?: () => void,
  ) {}

  get headersSent(): boolean {
    return this.started;
  }

  send(data: unknown): Promise<void> {
    return this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** One event whose data is serialised already. */
  sendJson(json: string): Promise<void> {
    return this.write(`data: ${json}\n\n`);
  }

  /** One named event (`event: <name>`, then its data), as the Responses API streams them. */
  event(name: string, data: unknown): Promise<void> {
    return this.write(namedFrame(name, data));
  }

  /** Ends a stream of named events (no [DONE]), with last events written at once if given. */
  end(last: readonly (readonly [name: string, data: unknown])[] = []): void {
    this.sink.end(last.length > 0 ? last.map(([name, data]) => namedFrame(name, data)).join("") : undefined);
  }

  async done(): Promise<void> {
    await this.write("data: [DONE]\n\n");
    this.sink.end();
  }

  /** Ends a stream whose headers are gone with an in-band error event, as OpenAI does. */
  fail(errorBody: unknown): void {
    this.sink.end(`data: ${JSON.stringify(errorBody)}\n\n`);
  }

  /** Cuts off a stream whose call was cancelled (client gone, drain time out): nothing more is written. */
  abandon(): void {
    this.sink.abandon();
  }

  private async write(frame: string): Promise<void> {
    if (!this.started) this.onStart?.();
    this.started = true;
    if (!this.sink.write(frame)) await this.sink.drained(this.signal);
  }
}

/**
 * Answers a request with an event stream that `produce` writes. A failure before its first event rejects (and
 * becomes a plain error answer); after it, `produce` reports in-band. The outcome's `settled` covers a body that
 * outlives the handler.
 */
export async function sseResponse(
  c: Context<GatewayEnv>,
  slot: CallSlot,
  produce: (sse: SseWriter) => Promise<void>,
): Promise<Response> {
  const outgoing = c.env?.outgoing;
  const trace = c.get("trace");
  const onStart = trace && (() => trace.responding());
  if (outgoing) {
    await produce(new SseWriter(new NodeResponseSink(outgoing), slot.signal, onStart));
    return RESPONSE_ALREADY_SENT;
  }
  const sink = new BodyStreamSink(() => slot.abort());
  const producing = produce(new SseWriter(sink, slot.signal, onStart));
  await Promise.race([sink.opened, producing]);
  c.get("outcome").settled = producing.catch(() => sink.abandon());
  return new Response(sink.stream, { headers: SSE_HEADERS });
}

class NodeResponseSink implements SseSink {
  private started = false;
  private corked = false;

  constructor(private readonly res: ServerResponse) {}

  write(frame: string): boolean {
    if (!this.started) {
      this.started = true;
      this.res.writeHead(200, SSE_HEADERS);
    }
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(this.uncork);
    }
    return this.res.write(frame);
  }

  // The scheduled uncork flushes what is corked, so "drain" still comes.
  async drained(signal: AbortSignal): Promise<void> {
    await once(this.res, "drain", { signal });
  }

  end(frame?: string): void {
    if (this.res.destroyed) return;
    // Node 22+ holds corked writes in the response itself and end() does not flush them (Node 20's socket cork
    // did): uncork first, or a stream that ends in the tick of its writes loses all but its first event.
    if (this.corked) this.uncork();
    if (frame === undefined) this.res.end();
    else this.res.end(frame);
  }

  abandon(): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.destroy();
  }

  private readonly uncork = (): void => {
    this.corked = false;
    // end() has already flushed everything corked; uncorking after it could touch the next response's socket.
    if (!this.res.writableEnded) this.res.uncork();
  };
}

const encoder = new TextEncoder();
/** Frames queued in the body stream before write() reports the reader behind. */
const BODY_STREAM_FRAMES = 16;

class BodyStreamSink implements SseSink {
  readonly stream: ReadableStream<Uint8Array>;
  /** Resolves at the first frame (or the end). */
  readonly opened: Promise<void>;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private open: () => void = () => {};
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(onCancel: () => void) {
    this.opened = new Promise((resolve) => {
      this.open = resolve;
    });
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.wake?.(),
        cancel: () => {
          this.closed = true;
          onCancel();
        },
      },
      { highWaterMark: BODY_STREAM_FRAMES },
    );
  }

  write(frame: string): boolean {
    if (this.closed) return true; // the reader left; the cancelled call ends the producer
    this.controller?.enqueue(encoder.encode(frame));
    this.open();
    return (this.controller?.desiredSize ?? 1) > 0;
  }

  drained(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.wake = undefined;
        reject(signal.reason ?? new AbortedError("the stream was cancelled"));
      };
      this.wake = () => {
        this.wake = undefined;
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  end(frame?: string): void {
    if (this.closed) return;
    if (frame !== undefined) this.controller?.enqueue(encoder.encode(frame));
    this.closed = true;
    this.controller?.close();
    this.open();
  }

  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller?.error(new AbortedError("the call was cancelled"));
    this.open();
  }
}
