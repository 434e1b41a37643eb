/**
 * One call's cancellation: the caller's AbortSignal and the timeout end the call; the error says which fired.
 * The timeout bounds a completion as a whole (retries included) and a stream's silences: the wait for its first
 * event (retries included) and each gap between events, so a long reply that keeps streaming is never cut off.
 *
 * The SDK gets `sdkSignal`, a minimal AbortSignal in the shape @smithy/types declares ({aborted, onabort}), not a
 * DOM AbortController: Node's EventTarget listeners cost more than the rest of our per-call work, and the SDK
 * registers through `onabort` when no addEventListener is there. A real AbortSignal is made only when the
 * back-off sleep needs one (retries are rare).
 */
import type { AbortSignal as SmithyAbortSignal } from "@smithy/types";
import type { GatedSignal } from "../auth/ready-gate.js";
import type { CallOptions } from "../chat/index.js";
import { AbortedError, TimeoutError } from "../errors.js";
import { type Deadline, deadlines } from "./deadlines.js";

class SdkSignal implements GatedSignal {
  aborted = false;
  onabort: ((this: SmithyAbortSignal, event: unknown) => unknown) | null = null;
  ready: Promise<void> | undefined = undefined;
  speculative = false;
}

export class CallControl implements Deadline {
  readonly sdkSignal = new SdkSignal();
  /** When the call times out (performance.now() clock); Infinity without a timeout. Only ever moves later. */
  at: number;
  /** Why the call's `ready` promise refused it (the call then ends with this, unchanged). */
  refusal: unknown;
  private controller: AbortController | undefined;
  private timedOut = false;
  private streaming = false;

  /** The control of a call made with `options`, the configured timeout applying where they set none. */
  static of(options: CallOptions, configuredTimeout: number | undefined): CallControl {
    return new CallControl(
      options.signal,
      options.timeout ?? configuredTimeout,
      options.ready,
      options.speculative ?? false,
    );
  }

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutSeconds: number | undefined,
    ready?: PromiseLike<unknown>,
    speculative = false,
  ) {
    const timed = timeoutSeconds !== undefined && timeoutSeconds > 0 && Number.isFinite(timeoutSeconds);
    this.at = timed ? performance.now() + timeoutSeconds * 1000 : Number.POSITIVE_INFINITY;
    if (callerSignal?.aborted) {
      this.abort();
      return;
    }
    callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
    if (timed) deadlines.add(this);
    if (ready !== undefined) {
      // The request is sent once this settles, or at once with its answer held until then when speculative
      // (src/auth/ready-gate.ts); a rejection aborts the call, before it is sent or while it is in flight.
      this.sdkSignal.speculative = speculative;
      this.sdkSignal.ready = Promise.resolve(ready).then(
        () => {},
        (reason: unknown) => {
          this.refusal = reason ?? new Error("the call's ready promise rejected");
          this.abort();
        },
      );
    }
  }

  /**
   * A stream event arrived: the timeout now counts from here. The shared deadline watch re-reads `at` when it fires,
   * so moving it later needs no timer work.
   */
  progress(): void {
    this.streaming = true;
    if (this.at !== Number.POSITIVE_INFINITY) this.at = performance.now() + (this.timeoutSeconds as number) * 1000;
  }

  /** Called by the deadline watch when the timeout passes. */
  expire(): void {
    this.timedOut = true;
    this.abort();
  }

  get aborted(): boolean {
    return this.sdkSignal.aborted;
  }

  /** A DOM AbortSignal that fires with this call, for the back-off sleep. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  /** The error for the abort that happened (call only when `aborted`). */
  abortError(partialText?: string): AbortedError | TimeoutError {
    const options = partialText ? { partialText } : {};
    if (this.timedOut && this.streaming) {
      return new TimeoutError(
        `The stream sent nothing for ${this.timeoutSeconds} s (timeout: the longest silence allowed between events); raise timeout in the configuration or per request.`,
        options,
      );
    }
    if (this.timedOut) {
      return new TimeoutError(
        `The call did not finish within ${this.timeoutSeconds} s (timeout, retries included); raise timeout in the configuration or per request.`,
        options,
      );
    }
    return new AbortedError("The call was cancelled by its AbortSignal.", {
      ...options,
      cause: this.callerSignal?.reason,
    });
  }

  /** Releases the timer and listener; `cancel` also aborts whatever is still in flight (an abandoned stream). */
  dispose(cancel = false): void {
    if (this.at !== Number.POSITIVE_INFINITY) deadlines.remove(this);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
    if (cancel) this.abort();
  }

  private abort(): void {
    const signal = this.sdkSignal;
    if (signal.aborted) return;
    signal.aborted = true;
    signal.onabort?.call(signal, { type: "abort" });
    this.controller?.abort();
  }

  private readonly onCallerAbort = (): void => {
    this.abort();
  };
}

/** A call's request without the options that are not data (what a completion log records). */
export function withoutControls<T extends CallOptions>(request: T): Omit<T, "signal" | "ready" | "speculative"> {
  const { signal: _signal, ready: _ready, speculative: _speculative, ...data } = request;
  return data;
}
