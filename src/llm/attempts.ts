/**
 * The attempt runner: runs a call's attempt, and while it fails with what the retry policy retries, waits (full
 * jitter, Retry-After, cut short by the call's abort) and runs it again. An attempt resolves when the call has
 * committed: a completion when its reply arrived, a stream at its first content, after which a retry would repeat
 * what the caller already has. Every entry point's attempts go through run(), so routing lands here too.
 */
import { classifyError } from "../bedrock/errors.js";
import type { ConverseInput } from "../bedrock/types.js";
import type { BedrockLLMError } from "../errors.js";
import type { Call } from "./call.js";
import { withPartialText } from "./partial.js";
import { type RetrySettings, retryDelayMs } from "./retry.js";

export type Attempt<T, Input = ConverseInput> = (call: Call<Input>) => Promise<T>;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export class AttemptRunner {
  constructor(
    private readonly settings: RetrySettings,
    private readonly sleep: Sleep,
    private readonly random: () => number,
  ) {}

  /** The attempt's result, or the final error (typed, or the abort's) once retrying is over. */
  async run<T, Input>(call: Call<Input>, attempt: Attempt<T, Input>): Promise<T> {
    for (;;) {
      try {
        return await attempt(call);
      } catch (thrown) {
        await this.backOff(call, thrown);
      }
    }
  }

  /** The error for a failure after the call committed: not retried, it keeps the text delivered so far. */
  broken(call: Call<unknown>, thrown: unknown, partialText: string): BedrockLLMError {
    if (call.control.aborted) return call.control.abortError(partialText);
    return withPartialText(classifyError(thrown, call.model.errors, call.retries + 1).error, partialText);
  }

  /** Waits before the next attempt and counts it, or throws the final error. */
  private async backOff(call: Call<unknown>, thrown: unknown): Promise<void> {
    const { control } = call;
    if (control.aborted) throw control.abortError();
    const failure = classifyError(thrown, call.model.errors, call.retries + 1);
    const delay = retryDelayMs(failure, call.retries, this.settings, this.random);
    if (delay === undefined) throw failure.error;
    try {
      await this.sleep(delay, control.signal);
    } catch (error) {
      if (control.aborted) throw control.abortError();
      throw error;
    }
    call.retries += 1;
  }
}
