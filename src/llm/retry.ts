/**
 * The retry policy: transient Bedrock errors (throttling, 5xx, model not ready, model timeout, dropped
 * connections) are retried with exponential back-off and full jitter,
 *   delay = random() * min(retry_max_wait, retry_min_wait * retry_multiplier ^ retry)   (seconds),
 * never shorter than a Retry-After the service sent, at most num_retries times. Everything else fails at once.
 */

import type { ClassifiedError } from "../bedrock/errors.js";
import type { LLMConfig } from "../config/types.js";

export interface RetrySettings {
  numRetries: number;
  minWaitSeconds: number;
  maxWaitSeconds: number;
  multiplier: number;
}

export function retrySettings(config: LLMConfig): RetrySettings {
  return {
    numRetries: config.num_retries,
    minWaitSeconds: config.retry_min_wait,
    maxWaitSeconds: config.retry_max_wait,
    multiplier: config.retry_multiplier,
  };
}

/** Upper bound of the jittered delay before retry number `retry` (0 for the first retry), seconds. */
export function backoffCeilingSeconds(retry: number, settings: RetrySettings): number {
  return Math.min(settings.maxWaitSeconds, settings.minWaitSeconds * settings.multiplier ** retry);
}

/**
 * Milliseconds to wait before retry number `retry` (0-based), or undefined when the error is final:
 * not retryable, or the retries are used up.
 */
export function retryDelayMs(
  failure: ClassifiedError,
  retry: number,
  settings: RetrySettings,
  random: () => number,
): number | undefined {
  if (!failure.retryable || retry >= settings.numRetries) return undefined;
  const jittered = random() * backoffCeilingSeconds(retry, settings);
  return Math.max(jittered, failure.retryAfterSeconds ?? 0) * 1000;
}

/** Default sleep: a timer that an abort cuts short (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
