/**
 * Errors in Anthropic's wire format, {"type": "error", "error": {"type", "message"}}, with the status an Anthropic
 * client expects, so the Anthropic SDK's retry rules (408, 409, 429 and 5xx retried, Retry-After honoured,
 * `x-should-retry` obeyed) work as they do against Anthropic's API. Library errors map by their `code` through one
 * exhaustive table (docs/ERRORS.md); the gateway's own refusals keep their status and get the type Anthropic uses
 * for it. Messages are the library's or the gateway's, which never hold a secret.
 */
import { BedrockLLMError, type BedrockLLMErrorCode } from "../../errors.js";
import { toGatewayError } from "../openai-error.js";

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "timeout_error"
  | "overloaded_error";

export interface AnthropicErrorBody {
  type: "error";
  error: { type: AnthropicErrorType; message: string };
}

/** What an Anthropic client gets for one library error code. */
export interface AnthropicAnswer {
  status: number;
  type: AnthropicErrorType;
  /** The operator's business (the gateway's credentials, model access, configuration): the client gets this. */
  publicMessage?: string;
  /** Answer with Retry-After (the service's hint, at least 1 s). */
  retryAfter?: true;
  /** Retrying cannot help (the gateway's own configuration): tell the SDK not to, with x-should-retry: false. */
  final?: true;
}

const SEE_LOG = "The gateway's operator will find the cause in its log.";

/**
 * The answer per library error code: a code added to the error family fails the typecheck here until it is
 * mapped. Anthropic has no 502 or 503: upstream failures are api_error (500) or, when Bedrock is overloaded,
 * overloaded_error (529), which the SDK retries.
 */
export const ANTHROPIC_ANSWER_BY_ERROR_CODE = {
  config: {
    status: 500,
    type: "api_error",
    publicMessage: `The gateway's configuration for this model is invalid. ${SEE_LOG}`,
    final: true,
  },
  credentials: {
    status: 500,
    type: "api_error",
    publicMessage: `The gateway could not obtain AWS credentials for Amazon Bedrock. ${SEE_LOG}`,
    final: true,
  },
  access: {
    status: 403,
    type: "permission_error",
    publicMessage: `Amazon Bedrock refused the gateway's credentials for this model (access denied). ${SEE_LOG}`,
  },
  throttling: { status: 429, type: "rate_limit_error", retryAfter: true },
  validation: { status: 400, type: "invalid_request_error" },
  guardrail: { status: 400, type: "invalid_request_error" },
  not_found: { status: 404, type: "not_found_error" },
  model_not_ready: { status: 529, type: "overloaded_error", retryAfter: true },
  timeout: { status: 504, type: "timeout_error" },
  aborted: { status: 499, type: "api_error", final: true },
  // A stream's exception frame has no status: its name says it (Anthropic's streams fail as overloaded_error too).
  service: (error) =>
    error.statusCode === 503 || awsName(error) === "ServiceUnavailableException"
      ? { status: 529, type: "overloaded_error", retryAfter: true }
      : { status: 500, type: "api_error" },
} as const satisfies Record<BedrockLLMErrorCode, AnthropicAnswer | ((error: BedrockLLMError) => AnthropicAnswer)>;

/** The AWS error's name: on a response, or on the exception frame a stream delivered (the error's cause). */
function awsName(error: BedrockLLMError): string | undefined {
  return error.awsErrorName ?? (error.cause instanceof Error ? error.cause.name : undefined);
}

/**
 * The type Anthropic uses for each status the gateway answers with on its own (key check, body limit, queue,
 * drain, routing). The gateway's queue being full and its drain are Anthropic's "overloaded" (529, retried).
 */
const TYPE_BY_STATUS: Readonly<Record<number, AnthropicErrorType>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/** Gateway refusals whose Anthropic status differs from the OpenAI door's. */
const STATUS_BY_KIND: Readonly<Record<string, number>> = { overloaded: 529, shutting_down: 529 };

const UNAUTHORIZED =
  "Incorrect or missing API key: send x-api-key: <key> (or Authorization: Bearer <key>) with a key from [server] api_keys.";

/** An error answered in Anthropic's format: status, body, extra headers, and the kind counted in /metrics. */
export class AnthropicError extends Error {
  readonly operatorDetail: string | undefined;

  constructor(
    readonly status: number,
    readonly type: AnthropicErrorType,
    message: string,
    /** The kind counted in /metrics and written to the access log (the library's error code, or the refusal's). */
    readonly kind: string,
    readonly headers: Record<string, string> = {},
    operatorDetail?: string,
  ) {
    super(message);
    this.name = "AnthropicError";
    this.operatorDetail = operatorDetail;
  }

  body(): AnthropicErrorBody {
    return { type: "error", error: { type: this.type, message: this.message } };
  }
}

/** Maps anything the Anthropic door (or the middleware before it) threw to its Anthropic answer. */
export function toAnthropicError(error: unknown): AnthropicError {
  if (error instanceof AnthropicError) return error;
  if (error instanceof BedrockLLMError) return fromLibrary(error);
  const failure = toGatewayError(error);
  const status = STATUS_BY_KIND[failure.kind] ?? failure.status;
  const type = TYPE_BY_STATUS[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  const message = failure.kind === "unauthorized" ? UNAUTHORIZED : failure.message;
  return new AnthropicError(status, type, message, failure.kind, failure.headers, failure.operatorDetail);
}

function fromLibrary(error: BedrockLLMError): AnthropicError {
  const entry: AnthropicAnswer | ((error: BedrockLLMError) => AnthropicAnswer) =
    ANTHROPIC_ANSWER_BY_ERROR_CODE[error.code];
  const answer = typeof entry === "function" ? entry(error) : entry;
  // The OpenAI door's reading gives the message (with the AWS request id), the kind and the operator detail.
  const failure = toGatewayError(error);
  const headers: Record<string, string> = {};
  if (answer.retryAfter) headers["retry-after"] = failure.headers["retry-after"] ?? retryAfterOf(error);
  if (answer.final) headers["x-should-retry"] = "false";
  const message = answer.publicMessage ?? failure.message;
  return new AnthropicError(answer.status, answer.type, message, failure.kind, headers, failure.operatorDetail);
}

function retryAfterOf(error: BedrockLLMError): string {
  const hint = "retryAfterSeconds" in error ? Number(error.retryAfterSeconds) : Number.NaN;
  return String(Math.max(1, Math.ceil(Number.isFinite(hint) ? hint : 1)));
}

/** Request problems found by the door itself: 400 invalid_request_error. */
export function invalidRequest(message: string): AnthropicError {
  return new AnthropicError(400, "invalid_request_error", message, "invalid_request");
}

/** A model name no section, alias or registry row answers to: Anthropic's 404 not_found_error. */
export function modelNotFound(message: string): AnthropicError {
  return new AnthropicError(404, "not_found_error", message, "unknown_model");
}
