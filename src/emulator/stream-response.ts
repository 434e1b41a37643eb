/**
 * Writes a RuntimeResult stream as an event-stream response. The first event is pulled before the 200 goes out,
 * so an error the runtime raises up front is still an HTTP error as on Bedrock; a later error becomes one
 * exception frame that ends the stream. A client that leaves stops the producer and is noted in the request log.
 */
import { streamExceptionFrame } from "./bedrock-errors.js";
import { EVENT_STREAM_CONTENT_TYPE, encodeStreamEvent } from "./event-stream.js";
import { type ResponseSink, writeChunk } from "./exchange.js";
import type { EmulatorError, RecordedRequest, StreamEvent } from "./types.js";

export interface StreamResponseOptions {
  /** The streaming operation, which decides the exception frames it may send. */
  operation: string;
  headers: Record<string, string>;
  /** Aborts when the response closes (normally or because the client left). */
  clientGone: AbortSignal;
  /** Renders an error as a plain HTTP error, before anything was streamed. */
  fail: (error: EmulatorError) => void;
  toEmulatorError: (error: unknown) => EmulatorError;
}

export async function sendEventStream(
  res: ResponseSink,
  record: RecordedRequest,
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  options: StreamResponseOptions,
): Promise<void> {
  const iterator = toAsyncIterator(events);
  let next: IteratorResult<StreamEvent>;
  try {
    next = await iterator.next();
  } catch (error) {
    return options.fail(options.toEmulatorError(error));
  }

  let finished = false;
  const noteClientGone = () => {
    if (!finished) record.clientClosed = true;
  };
  if (options.clientGone.aborted) noteClientGone();
  else options.clientGone.addEventListener("abort", noteClientGone);

  res.statusCode = 200;
  res.setHeader("content-type", EVENT_STREAM_CONTENT_TYPE);
  for (const [name, value] of Object.entries(options.headers)) res.setHeader(name, value);
  record.status = 200;

  let stoppedEarly = false;
  try {
    while (!next.done) {
      const delivered = !record.clientClosed && (await writeChunk(res, encodeStreamEvent(next.value)));
      if (!delivered || record.clientClosed || next.value.type === "exception") {
        stoppedEarly = true;
        break;
      }
      next = await iterator.next();
    }
  } catch (error) {
    // The producer failed mid-stream: Bedrock ends the stream with one exception frame.
    await writeChunk(res, encodeStreamEvent(streamExceptionFrame(options.toEmulatorError(error), options.operation)));
  }
  if (stoppedEarly) await iterator.return?.();
  if (record.clientClosed || res.destroyed) return;
  finished = true;
  res.end();
}

function toAsyncIterator(events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>): AsyncIterator<StreamEvent> {
  if (Symbol.asyncIterator in events) return events[Symbol.asyncIterator]();
  const sync = events[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}
