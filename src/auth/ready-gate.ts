/**
 * When a call's request may go out. A call's abort signal may carry `ready` (a gateway's rate-limit admission,
 * running while the request is prepared): the request is prepared and signed as usual, then handed to the HTTP
 * handler once `ready` settles, unless the call was aborted meanwhile (a refusal aborts it). A `speculative` call is
 * handed over at once instead, while `ready` is still pending, and what it answers is held until `ready` settles: the
 * wait then overlaps the model's own time too, and a refusal cancels the request in flight.
 */
import { PassThrough, pipeline, Readable } from "node:stream";
import type { AbortSignal as SmithyAbortSignal } from "@smithy/types";

export interface GatedSignal extends SmithyAbortSignal {
  /** Settles when the request may go out (never rejects: a refusal aborts the call instead). */
  ready?: Promise<void> | undefined;
  /** Send while `ready` is pending; hold the answer until it settles. */
  speculative?: boolean;
}

/** `send()` (the HTTP handler's call) as `signal` allows it. */
export function whenReady<T>(signal: GatedSignal | undefined, send: () => Promise<T>, speculate = true): Promise<T> {
  const ready = signal?.ready;
  if (signal === undefined || ready === undefined) return send();
  if (!(speculate && signal.speculative)) {
    return ready.then(() => {
      if (signal.aborted) throw abortError();
      return send();
    });
  }
  let decided = false;
  const admitted = ready.then(() => {
    decided = true;
  });
  const held = send().then((answer) => (decided ? answer : keepReading(answer)));
  return Promise.all([held, admitted]).then(([answer]) => {
    if (signal.aborted) {
      (answer as { response?: { body?: { destroy?: () => void } } } | undefined)?.response?.body?.destroy?.();
      throw abortError();
    }
    return answer;
  });
}

/**
 * An answer held while `ready` is pending, its body read on meanwhile into a stream of its own. Node 24.20+ (and
 * 26.3+) report a premature close to anyone who starts watching an HTTP/2 reply that has already arrived whole
 * while its bytes wait unread (nodejs/node#65677): the event-stream readers watch the body that way, so a short
 * streamed reply held until its admission failed as cut off. Reading on from the start keeps the watch where it
 * works; the body's errors and early end reach the stream handed on, and destroying that one cancels the reply.
 */
function keepReading<T>(answer: T): T {
  const response = (answer as { response?: { body?: unknown } } | undefined)?.response;
  const body = response?.body;
  if (!(body instanceof Readable) || body.destroyed) return answer;
  const copy = new PassThrough();
  pipeline(body, copy, () => {}); // an error destroys `copy` with it, for its reader to see
  (response as { body: unknown }).body = copy;
  return answer;
}

/** What the SDK's HTTP handlers throw for a request aborted before it was sent. */
export function abortError(): Error {
  const error = new Error("Request aborted");
  error.name = "AbortError";
  return error;
}
