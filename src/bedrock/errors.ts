/**
 * Whatever the SDK or the network threw -> the library's error family, with a message a user can act on and a
 * verdict on whether the retry policy may try again. Messages are built from AWS error names and messages and
 * non-secret configuration only.
 */
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
  auth?: ResolvedAuth;
}

export interface ClassifiedError {
  error: BedrockLLMError;
  retryable: boolean;
  /** Seconds the service asked to wait (Retry-After). */
  retryAfterSeconds?: number;
}

/** Transient AWS errors the retry policy retries. */
const RETRYABLE_AWS = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "InternalServerException",
  "ModelNotReadyException",
  "ModelTimeoutException",
]);

/** Connection-level failures worth another attempt (the request may not have reached Bedrock). */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_INVALID_SESSION",
]);

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  $fault?: string;
  cause?: unknown;
}

function retryAfter(error: SdkErrorLike): number | undefined {
  const raw = error.$response?.headers?.["retry-after"] ?? error.$response?.headers?.["Retry-After"];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function isNetworkError(error: SdkErrorLike): boolean {
  // The SDK's HTTP handler names a socket left idle too long "TimeoutError".
  if (error.name === "TimeoutError") return true;
  if (error.code && NETWORK_CODES.has(error.code)) return true;
  const cause = error.cause as SdkErrorLike | undefined;
  if (cause?.code && NETWORK_CODES.has(cause.code)) return true;
  return /socket hang up|ECONNRESET|stream closed|GOAWAY/i.test(error.message ?? "");
}

/** AWS messages usually end with a full stop; ours add their own, so drop it to avoid "..". */
function withoutFinalStop(message: string): string {
  return message.replace(/\.\s*$/, "");
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
  const options: BedrockLLMErrorOptions = {
    cause: thrown,
    requestId: error.$metadata?.requestId,
    awsErrorName: error.$metadata ? name : undefined,
    statusCode: error.$metadata?.httpStatusCode,
  };
  const retryable = RETRYABLE_AWS.has(name);
  const what = `Bedrock ${name} for ${context.modelId}: ${withoutFinalStop(awsMessage)}`;

  if (isCredentialsFailure(thrown)) {
    return { error: toCredentialsError(thrown, context.auth?.method ?? "default-chain", {}), retryable: false };
  }
  switch (name) {
    case "ThrottlingException": {
      const seconds = retryAfter(error);
      return {
        error: new ThrottlingError(
          `${what} (${attempts} attempt${attempts === 1 ? "" : "s"}). Lower the request rate, raise num_retries / retry_max_wait, or ask AWS for a higher quota.`,
          { ...options, retryAfterSeconds: seconds, attempts },
        ),
        retryable,
        ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}),
      };
    }
    case "ServiceQuotaExceededException":
      return {
        error: new ThrottlingError(`${what}. A Bedrock quota is exhausted: ask AWS for a higher quota.`, options),
        retryable: false,
      };
    case "ValidationException": {
      const advice = /on-demand throughput/i.test(awsMessage) ? onDemandAdvice(context) : "";
      return { error: new ValidationError(`${what}.${advice}`, options), retryable: false };
    }
    case "AccessDeniedException":
      return {
        error: new AccessDeniedError(
          `${what}. Check that the identity may call bedrock:InvokeModel on this model and that model access is granted in the Bedrock console for ${context.region}.`,
          options,
        ),
        retryable: false,
      };
    case "ResourceNotFoundException":
      return {
        error: new ResourceNotFoundError(
          `${what}. Check the model id (and guardrail id/version) and that the model is offered in ${context.region}.`,
          options,
        ),
        retryable: false,
      };
    case "ModelNotReadyException":
      return { error: new ModelNotReadyError(`${what}. The model is loading; try again shortly.`, options), retryable };
    case "ModelTimeoutException":
      return { error: new TimeoutError(`${what}.`, options), retryable };
    default:
      break;
  }
  if (retryable) return { error: new ServiceError(`${what}.`, options), retryable };
  if (!error.$metadata && isNetworkError(error)) {
    return {
      error: new ServiceError(`Connection to Bedrock failed for ${context.modelId}: ${awsMessage}.`, options),
      retryable: true,
    };
  }
  return { error: new ServiceError(`${what}.`, options), retryable: false };
}
