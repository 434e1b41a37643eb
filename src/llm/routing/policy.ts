/**
 * Which failures move a call elsewhere. Falling back: failures another section (another region, account or model)
 * may well not have: throttling and exhausted quotas, the service or model unavailable or not ready, the model
 * timing out, the endpoint unreachable or the connection dropping, and a context window too small for the request.
 * Not: a request the model refuses as invalid, access denied, an unknown model, a guardrail, the call's own timeout
 * or cancellation: the next section would refuse it too, or the caller asked to stop. Cooling down: the failures
 * that say "not now, not here" (throttling, quota, unavailable, not ready), after which a deployment is left alone
 * for a while.
 */
import type { ClassifiedError } from "../../bedrock/errors.js";

const FALLBACK_ERRORS = new Set([
  "ThrottlingException",
  "ServiceQuotaExceededException",
  "ServiceUnavailableException",
  "InternalServerException",
  "ModelNotReadyException",
  "ModelTimeoutException",
]);

const COOLDOWN_ERRORS = new Set([
  "ThrottlingException",
  "ServiceQuotaExceededException",
  "ServiceUnavailableException",
  "ModelNotReadyException",
]);

/**
 * Bedrock's words for a prompt longer than the model's context window: "Input is too long for requested model",
 * "prompt is too long: 210000 tokens > 200000 maximum", "input length and max_tokens exceed context limit".
 */
const CONTEXT_OVERFLOW =
  /input is too long|prompt is too long|exceed(?:s|ed)? (?:the )?context (?:limit|window)|maximum context length/i;

export function isContextOverflow(failure: ClassifiedError): boolean {
  const { error } = failure;
  return error.awsErrorName === "ValidationException" && CONTEXT_OVERFLOW.test(error.message);
}

/** A failure the call answered by the next section of its route (once its own retries are spent). */
export function fallsBack(failure: ClassifiedError): boolean {
  const name = failure.error.awsErrorName;
  // A modelStreamErrorException frame is retried when it wraps a transient error; then it falls back too.
  if (name === "ModelStreamErrorException") return failure.retryable;
  if (name !== undefined) return FALLBACK_ERRORS.has(name) || isContextOverflow(failure);
  // No answer from Bedrock: a connection that failed (retryable); not the call's own timeout or abort.
  return failure.retryable && failure.error.code === "service";
}

/** A failure after which a deployment cools down. */
export function coolsDown(failure: ClassifiedError): boolean {
  const name = failure.error.awsErrorName;
  return name !== undefined && COOLDOWN_ERRORS.has(name);
}
