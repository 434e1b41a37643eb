/**
 * Whatever the SDK or the network threw -> the library's error family, with a message a user can act on and a
 * verdict on whether the retry policy may try again. Messages are built from AWS error names and messages and
 * non-secret configuration only.
 */

// The SDK's Retry-After parser (seconds, HTTP date, x-amz-retry-after): not re-exported by the classification package.
import { getRetryAfterHint } from "@smithy/core/retry";
import { isThrottlingError, isTransientError } from "@smithy/service-error-classification";
import type { SdkError } from "@smithy/types";
import { isCredentialsFailure, toCredentialsError } from "../auth/index.js";
import type { ResolvedAuth } from "../auth/types.js";
import {
  AccessDeniedError,
  type BedrockLLMError,
  type BedrockLLMErrorOptions,
  ModelNotReadyError,
  ResourceNotFoundError,
  ServiceError,
  ThrottlingError,
  TimeoutError,
  ValidationError,
} from "../errors.js";
import { homeGeography } from "../models/geography.js";

export interface ErrorContext {
  /** Model id sent on the wire. */
  modelId: string;
  region: string;
  /** Section name, for messages ("[llm]" or "[llm.NAME]"). */
  section: string;
  /** The Bedrock Runtime endpoint calls go to, for connection failures; unknown with a caller's own client. */
  endpoint?: string;
  auth?: ResolvedAuth;
}

export interface ClassifiedError {
  error: BedrockLLMError;
  retryable: boolean;
  /** Seconds the service asked to wait (Retry-After). */
  retryAfterSeconds?: number;
}

/**
 * The HTTP status Bedrock sends each of its errors with (BEDROCK-FACTS.md). A ConverseStream exception frame
 * carries a name but no status; judging it by the status of the same error sent as a response makes a frame
 * before any content retried exactly like the response would be. ServiceQuotaExceededException comes as 400 or
 * 429: a quota that is used up, not a rate, so waiting does not help and it is judged as the 400.
 */
const BEDROCK_STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

/**
 * HTTP/2 failures that end every stream of a session (the peer went away, the session was torn down). The SDK's
 * classification knows only REFUSED_STREAM among them; ConverseStream shares the client's session, so its end
 * reaches calls that had not yet received anything.
 */
const HTTP2_SESSION_ENDED = new Set([
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_INVALID_SESSION",
]);

/** The endpoint could not be reached at all (as opposed to a connection that broke). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
  $response?: unknown;
  $retryable?: { throttling?: boolean };
  $fault?: string;
  cause?: unknown;
  /** A modelStreamErrorException frame: the status of the error it wraps. */
  originalStatusCode?: number;
}

/**
 * The error as the SDK's classification should see it: Bedrock's own errors with Bedrock's status; a
 * modelStreamErrorException frame with the status of the error it wraps, when it says.
 */
function judged(error: SdkErrorLike, name: string): SdkError {
  const status =
    name === "ModelStreamErrorException" && typeof error.originalStatusCode === "number"
      ? error.originalStatusCode
      : BEDROCK_STATUS[name];
  if (status === undefined) return error as SdkError;
  return { name, message: error.message ?? "", $retryable: error.$retryable, $metadata: { httpStatusCode: status } };
}

/**
 * Retried: what the SDK's standard retry strategy retries (throttling, transient: 500/502/503/504, timeouts,
 * connection resets and refusals, also when the SDK wrapped them or attached `$metadata`), plus Bedrock's
 * ModelTimeoutException (408, which Bedrock documents as worth retrying, also when a modelStreamErrorException
 * frame wraps it) and any failure of the connection (HTTP/2 sessions that ended, bodies cut short).
 */
function isRetryable(error: SdkErrorLike, name: string): boolean {
  const seen = judged(error, name);
  if (isThrottlingError(seen) || isTransientError(seen)) return true;
  if (name === "ModelTimeoutException" || seen.$metadata?.httpStatusCode === 408) return true;
  return isTransportFailure(error);
}

/**
 * When an HTTP/2 session dies, Node gives every stream on it the same error object; the SDK's deserializer pins
 * `$response` on the error it catches (non-configurable), so for the second call reading a body from that session
 * it throws this TypeError instead of the session's error. It stands for the session's end.
 */
const SHARED_SESSION_ERROR = "Cannot redefine property: $response";

/** The error's code and its causes' codes (the SDK wraps socket errors: "stream canceled (caused by ...)"). */
function codes(error: SdkErrorLike): string[] {
  const found: string[] = [];
  let current: SdkErrorLike | undefined = error;
  for (let depth = 0; current && depth < 10; depth += 1) {
    if (typeof current.code === "string") found.push(current.code);
    else if (current.name === "TypeError" && current.message === SHARED_SESSION_ERROR) {
      found.push("ERR_HTTP2_SESSION_ERROR");
    }
    current = current.cause as SdkErrorLike | undefined;
  }
  return found;
}

/**
 * Socket failures: the connection broke (reset, "socket hang up", broken pipe, aborted, timed out) or could not be
 * made. Codes rather than `syscall`, which file errors ("open ENOENT") carry too.
 */
const SOCKET_FAILED = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", ...UNREACHABLE]);

/**
 * A body cut short: the connection ended while a response was read, and what arrived does not parse (the SDK's
 * deserializer pins the response it was reading on what it throws). Bedrock's bodies are whole JSON documents.
 */
function isCutShort(error: SdkErrorLike): boolean {
  return error.name === "SyntaxError" && error.$response !== undefined;
}

/**
 * The connection's failure, whatever the SDK made of it: a socket error, an HTTP/2 session that ended, or a body
 * cut short.
 */
function isTransportFailure(error: SdkErrorLike): boolean {
  if (isCutShort(error)) return true;
  return codes(error).some((code) => SOCKET_FAILED.has(code) || HTTP2_SESSION_ENDED.has(code));
}

/**
 * Whether Bedrock answered with an error. The SDK's deserializer stamps the response's status on whatever it
 * throws while reading a body ("Deserialization error", with `$response`): a 2xx status with an error means the
 * body broke on the way; and a socket or HTTP/2 session error is the connection's failure whatever status it
 * carries: the connection can break while an error body (a 429) is being read, and when a session dies every call
 * on it gets the same error object, which the first call to read a body has already stamped with its status.
 */
function isAnswer(error: SdkErrorLike): boolean {
  const status = error.$metadata?.httpStatusCode;
  if (status === undefined || (status >= 200 && status < 300)) return false;
  return !isTransportFailure(error);
}

/** No answer from Bedrock: the connection could not be made, broke, or stayed silent too long. */
function isConnectionFailure(error: SdkErrorLike, name: string): boolean {
  if (isAnswer(error) || BEDROCK_STATUS[name] !== undefined) return false;
  return isTransientError(error as SdkError) || isTransportFailure(error);
}

/**
 * Seconds the service asked to wait, from Retry-After (seconds or a date) or x-amz-retry-after (ms), read by the
 * SDK's own parser. It answers with an instant; read back against our clock it can come out a millisecond short,
 * so it is rounded up to 10 ms: never shorter than asked.
 */
function retryAfter(error: SdkErrorLike): number | undefined {
  const hint = getRetryAfterHint(error.$response);
  if (!hint) return undefined;
  return Math.max(0, Math.ceil((hint.getTime() - Date.now()) / 10) / 100);
}

/** The hint the SDK's deserializer appends to what it throws while reading a body: of no use to a caller. */
const DESERIALIZATION_HINT = /\s*Deserialization error: to see the raw response[\s\S]*$/;

/** AWS messages usually end with a full stop; ours add their own, so drop it to avoid "..". */
function withoutFinalStop(message: string): string {
  return message.replace(DESERIALIZATION_HINT, "").replace(/\.\s*$/, "");
}

function onDemandAdvice(context: ErrorContext): string {
  const target = homeGeography(context.region) ?? "global";
  return (
    ` ${context.modelId} needs an inference profile: set cross_region_target = "${target}" in [${context.section}]` +
    ` (region ${context.region}), or use model = "bedrock/${target}.${context.modelId}".`
  );
}

/** Maps any thrown value to the error family; `attempts` is how many calls were made so far. */
export function classifyError(thrown: unknown, context: ErrorContext, attempts = 1): ClassifiedError {
  const error = (thrown ?? {}) as SdkErrorLike;
  const name = error.name ?? "Error";
  const awsMessage = error.message ?? String(thrown);
  const answered = isAnswer(error);
  const options: BedrockLLMErrorOptions = {
    cause: thrown,
    requestId: error.$metadata?.requestId,
    // The SDK attaches $metadata to socket errors too: only an answer (or a stream's exception frame) is AWS's.
    awsErrorName: answered || BEDROCK_STATUS[name] !== undefined ? name : undefined,
    statusCode: error.$metadata?.httpStatusCode,
  };
  const what = `Bedrock ${name} for ${context.modelId}: ${withoutFinalStop(awsMessage)}`;

  if (isCredentialsFailure(thrown)) {
    return { error: toCredentialsError(thrown, context.auth?.method ?? "default-chain", {}), retryable: false };
  }
  const retryable = isRetryable(error, name);
  const seconds = retryable ? retryAfter(error) : undefined;
  const verdict = { retryable, ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}) };
  switch (name) {
    case "ThrottlingException":
      return {
        error: new ThrottlingError(
          `${what} (${attempts} attempt${attempts === 1 ? "" : "s"}). Lower the request rate, raise num_retries / retry_max_wait, or ask AWS for a higher quota.`,
          { ...options, retryAfterSeconds: seconds, attempts },
        ),
        ...verdict,
      };
    case "ServiceQuotaExceededException":
      return {
        error: new ThrottlingError(`${what}. A Bedrock quota is exhausted: ask AWS for a higher quota.`, options),
        ...verdict,
      };
    case "ValidationException": {
      const advice = /on-demand throughput/i.test(awsMessage) ? onDemandAdvice(context) : "";
      return { error: new ValidationError(`${what}.${advice}`, options), ...verdict };
    }
    case "AccessDeniedException":
      return {
        error: new AccessDeniedError(
          `${what}. Check that the identity may call bedrock:InvokeModel on this model and that model access is granted in the Bedrock console for ${context.region}.`,
          options,
        ),
        ...verdict,
      };
    case "ResourceNotFoundException":
      return {
        error: new ResourceNotFoundError(
          `${what}. Check the model id (and guardrail id/version) and that the model is offered in ${context.region}.`,
          options,
        ),
        ...verdict,
      };
    case "ModelNotReadyException":
      return {
        error: new ModelNotReadyError(`${what}. The model is loading; try again shortly.`, options),
        ...verdict,
      };
    case "ModelTimeoutException":
      return { error: new TimeoutError(`${what}.`, options), ...verdict };
    default:
      break;
  }
  if (isConnectionFailure(error, name)) {
    return { error: new ServiceError(connectionMessage(error, awsMessage, context, attempts), options), ...verdict };
  }
  return { error: new ServiceError(`${what}.`, options), ...verdict };
}

function connectionMessage(error: SdkErrorLike, message: string, context: ErrorContext, attempts: number): string {
  const where = context.endpoint ? ` at ${context.endpoint}` : "";
  const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
  const what = isCutShort(error)
    ? `the response was cut short (${withoutFinalStop(message)})`
    : withoutFinalStop(message);
  const text = `Connection to Bedrock${where} failed for ${context.modelId}${tries}: ${what}.`;
  if (!codes(error).some((code) => UNREACHABLE.has(code))) return text;
  return `${text} The endpoint cannot be reached: check aws_bedrock_runtime_endpoint (or aws_region_name) in [${context.section}], and the network or proxy between here and it.`;
}
