/**
 * One call's cancellation: the caller's AbortSignal and the timeout (whole call, retries included) feed one
 * AbortSignal handed to the SDK and to the back-off sleep; the error says which of the two fired.
 */
import { AbortedError, TimeoutError } from "../errors.js";

export class CallControl {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private timedOut = false;

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutSeconds: number | undefined,
  ) {
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
    if (timeoutSeconds && timeoutSeconds > 0 && Number.isFinite(timeoutSeconds)) {
      this.timer = setTimeout(this.onTimeout, timeoutSeconds * 1000);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** The error for the abort that happened (call only when `aborted`). */
  abortError(partialText?: string): AbortedError | TimeoutError {
    const options = partialText ? { partialText } : {};
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
    if (this.timer) clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
    if (cancel && !this.controller.signal.aborted) this.controller.abort();
  }

  private readonly onCallerAbort = (): void => {
    this.controller.abort(this.callerSignal?.reason);
  };

  private readonly onTimeout = (): void => {
    this.timedOut = true;
    this.controller.abort();
  };
}
