/**
 * The attempt runner: runs a call's attempt, and while it fails with what the retry policy retries, waits (full
 * jitter, Retry-After, cut short by the call's abort) and runs it again, where the router places it: the same
 * target, another deployment (at once, when the one that failed was throttled and another is free), or, once the
 * leg's retries are spent on a failure another section may not have, the next leg of the route (its fallback).
 * An attempt resolves when the call has committed: a completion when its reply arrived, a stream at its first
 * content, after which a retry would repeat what the caller already has (stream_recovery aside).
 */
import { type ClassifiedError, classifyError } from "../bedrock/errors.js";
import type { ConverseInput } from "../bedrock/types.js";
import { BedrockLLMError } from "../errors.js";
import type { Call } from "./call.js";
import { withPartialText } from "./partial.js";
import { retryDelayMs } from "./retry.js";
import { fallsBack } from "./routing/policy.js";
import type { Router } from "./routing/router.js";

export type Attempt<T, Input = ConverseInput> = (call: Call<Input>) => Promise<T>;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export class AttemptRunner {
  constructor(
    private readonly router: Router,
    private readonly sleep: Sleep,
    private readonly random: () => number,
  ) {}

  /** The attempt's result, or the final error (typed, or the abort's) once retrying and falling back are over. */
  async run<T, Input>(call: Call<Input>, attempt: Attempt<T, Input>): Promise<T> {
    for (;;) {
      call.occupy();
      const span = call.trace?.attempt(call);
      try {
        const result = await attempt(call);
        span?.succeed();
        call.target.succeeded();
        return result;
      } catch (thrown) {
        span?.fail(thrown);
        call.release();
        await this.next(call, thrown);
      }
    }
  }

  /** The error for a failure after the call committed: not retried, it keeps the text delivered so far. */
  broken(call: Call<unknown>, thrown: unknown, partialText: string): BedrockLLMError {
    if (call.control.aborted) return call.control.abortError(partialText);
    // A recovery's own attempts end with an error already typed (and routed).
    const error = thrown instanceof BedrockLLMError ? thrown : this.classify(call, thrown).error;
    return withPartialText(error, partialText);
  }

  /**
   * A stream that broke after content: placed to go on from the text delivered (true), on another deployment at
   * once or on the same target after the back-off; or not (false: the stream ends with `broken`'s error).
   */
  async recover(
    call: Call<unknown>,
    thrown: unknown,
    delivered: { text: string; textOnly: boolean },
  ): Promise<boolean> {
    if (call.control.aborted) return false;
    call.release();
    const failure = this.classify(call, thrown);
    const where = this.router.recover(call, failure, delivered);
    if (where === undefined) return false;
    if (where === "same") {
      const delay = retryDelayMs(failure, call.legRetries, call.leg.retry, this.random);
      if (delay !== undefined) await this.wait(call, delay);
      call.legRetries += 1;
    } else {
      call.legMoves += 1;
    }
    call.retries += 1;
    call.trace?.event("bedrock_llm.stream_recovery", { "bedrock_llm.served_by": call.target.name });
    return true;
  }

  /** Places the next attempt (after waiting when it should), or throws the final error. */
  private async next(call: Call<unknown>, thrown: unknown): Promise<void> {
    const { control } = call;
    if (control.aborted) throw control.abortError();
    const failure = this.classify(call, thrown);
    // Another deployment free right now: go there without waiting. Such moves are not retries of the same target,
    // so they leave num_retries alone; a call makes at most one per other deployment of the leg.
    const { leg } = call;
    const move = this.router.afterFailure(call, failure, this.router.now()) && call.legMoves < leg.targets.length - 1;
    const delay = move ? undefined : retryDelayMs(failure, call.legRetries, leg.retry, this.random);
    if (move || delay !== undefined) {
      if (delay !== undefined) await this.wait(call, delay);
      if (this.router.place(call)) {
        if (move) call.legMoves += 1;
        else call.legRetries += 1;
        call.retries += 1;
        return;
      }
    }
    if (fallsBack(failure) && this.router.fallBack(call)) {
      call.trace?.event("bedrock_llm.fallback", { "bedrock_llm.section": call.leg.section });
      return;
    }
    throw this.router.finalError(call, failure.error);
  }

  private classify(call: Call<unknown>, thrown: unknown): ClassifiedError {
    return classifyError(thrown, call.model.errors, call.legRetries + 1);
  }

  private async wait(call: Call<unknown>, ms: number): Promise<void> {
    const { control } = call;
    try {
      await this.sleep(ms, control.signal);
    } catch (error) {
      if (control.aborted) throw control.abortError();
      throw error;
    }
  }
}
