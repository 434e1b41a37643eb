/**
 * Errors in OpenAI's wire format, {"error": {"message", "type", "param", "code"}}, with the status code an OpenAI
 * client expects. Library errors map by their `code` through one exhaustive table (docs/ERRORS.md); the message
 * is the library's, which never holds a secret.
 */
import { BedrockLLMError, type BedrockLLMErrorCode } from "../errors.js";
import { clip } from "./clip.js";

export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "permission_error"
  | "rate_limit_error"
  | "insufficient_quota"
  | "server_error"
  | "upstream_error";

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export interface GatewayErrorOptions {
  status: number;
  message: string;
  type: OpenAIErrorType;
  /** OpenAI's `error.code`: what clients match on. */
  code: string | null;
  /** The kind counted in /metrics (`errors_total{kind}`) and written to the access log. */
  kind: string;
  /** The offending request parameter, when one is to blame. */
  param?: string | null;
  /** Extra response headers (Retry-After, Connection). */
  headers?: Record<string, string>;
  /** The full cause, for the gateway's own log only: clients get `message`, which names no ARN, file or key. */
  operatorDetail?: string;
}

/** An error the gateway answers with: status, OpenAI body, extra headers, and the kind counted in /metrics. */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  readonly kind: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;
  readonly operatorDetail: string | undefined;

  constructor(options: GatewayErrorOptions) {
    super(options.message);
    this.name = "GatewayError";
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
    this.kind = options.kind;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
    this.operatorDetail = options.operatorDetail;
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** What a client gets for one library error code. */
export interface LibraryErrorAnswer {
  status: number;
  type: OpenAIErrorType;
  code: string;
  /**
   * Set for failures that are the operator's business (the gateway's own credentials, model access, configuration):
   * their messages name role ARNs, profiles, files and keys, so the client gets this sentence and the log the cause.
   */
  publicMessage?: string;
  /** Answer with Retry-After (the service's hint, at least 1 s). */
  retryAfter?: true;
}

const SEE_LOG = "The gateway's operator will find the cause in its log.";

/**
 * The gateway's answer per library error code. Typed as a Record over every code: a code added to the error family
 * fails the typecheck here until it is mapped. A function entry picks by the error's details.
 */
export const ANSWER_BY_ERROR_CODE = {
  config: {
    status: 500,
    type: "server_error",
    code: "gateway_config",
    publicMessage: `The gateway's configuration for this model is invalid. ${SEE_LOG}`,
  },
  credentials: {
    status: 502,
    type: "upstream_error",
    code: "upstream_credentials",
    publicMessage: `The gateway could not obtain AWS credentials for Amazon Bedrock. ${SEE_LOG}`,
  },
  access: {
    status: 502,
    type: "upstream_error",
    code: "upstream_access_denied",
    publicMessage: `Amazon Bedrock refused the gateway's credentials for this model (access denied). ${SEE_LOG}`,
  },
  throttling: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded", retryAfter: true },
  validation: { status: 400, type: "invalid_request_error", code: "invalid_request" },
  guardrail: { status: 400, type: "invalid_request_error", code: "content_filter" },
  not_found: { status: 404, type: "upstream_error", code: "upstream_not_found" },
  model_not_ready: { status: 503, type: "upstream_error", code: "model_not_ready" },
  timeout: { status: 504, type: "upstream_error", code: "upstream_timeout" },
  aborted: { status: 499, type: "server_error", code: "client_closed" },
  service: (error) =>
    error.statusCode === 503
      ? { status: 503, type: "upstream_error", code: "upstream_unavailable" }
      : { status: 502, type: "upstream_error", code: "upstream_error" },
} as const satisfies Record<BedrockLLMErrorCode, LibraryErrorAnswer | ((error: BedrockLLMError) => LibraryErrorAnswer)>;

/** The answer for one library error, from the table. */
export function answerFor(error: BedrockLLMError): LibraryErrorAnswer {
  const entry: LibraryErrorAnswer | ((error: BedrockLLMError) => LibraryErrorAnswer) = ANSWER_BY_ERROR_CODE[error.code];
  return typeof entry === "function" ? entry(error) : entry;
}

/** Maps anything a request handler can throw to the answer the client gets. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (!(error instanceof BedrockLLMError)) return errors.internal();
  const answer = answerFor(error);
  const message = error.requestId ? `${error.message} (AWS request id: ${error.requestId})` : error.message;
  const headers: Record<string, string> = {};
  if (answer.retryAfter) {
    const hint = "retryAfterSeconds" in error ? Number(error.retryAfterSeconds) : Number.NaN;
    headers["retry-after"] = String(Math.max(1, Math.ceil(Number.isFinite(hint) ? hint : 1)));
  }
  return new GatewayError({
    status: answer.status,
    type: answer.type,
    code: answer.code,
    kind: error.code,
    headers,
    ...(answer.publicMessage === undefined ? { message } : { message: answer.publicMessage, operatorDetail: message }),
  });
}

/** The gateway's own refusals, before any library call. */
export const errors = {
  unauthorized: () =>
    new GatewayError({
      status: 401,
      message: "Incorrect or missing API key: send Authorization: Bearer <key> with a key from [server] api_keys.",
      type: "authentication_error",
      code: "invalid_api_key",
      kind: "unauthorized",
    }),
  notFound: (path: string) =>
    new GatewayError({
      status: 404,
      message: `Unknown path ${clip(path, 256)}.`,
      type: "not_found_error",
      code: "unknown_url",
      kind: "unknown_path",
    }),
  methodNotAllowed: (method: string, path: string) =>
    new GatewayError({
      status: 405,
      message: `${clip(method, 32)} is not allowed on ${clip(path, 256)}.`,
      type: "invalid_request_error",
      code: "method_not_allowed",
      kind: "bad_method",
    }),
  bodyTooLarge: (limit: number) =>
    new GatewayError({
      status: 413,
      message: `Request body exceeds ${limit} bytes ([server] max_body_bytes).`,
      type: "invalid_request_error",
      code: "request_too_large",
      kind: "body_too_large",
      // The connection is not reused after a refused body (read and discarded up to a bound, or not at all).
      headers: { connection: "close" },
    }),
  /** JSON nested deeper than the gateway takes: refused before parsing, as serialisers down the line recurse. */
  tooDeep: (limit: number) =>
    new GatewayError({
      status: 400,
      message: `The request body nests JSON deeper than ${limit} levels.`,
      type: "invalid_request_error",
      code: "invalid_json",
      kind: "invalid_json",
    }),
  badJson: () =>
    new GatewayError({
      status: 400,
      message: "The request body is not valid JSON.",
      type: "invalid_request_error",
      code: "invalid_json",
      kind: "invalid_json",
    }),
  badField: (message: string, param: string | null) =>
    new GatewayError({
      status: 400,
      message,
      type: "invalid_request_error",
      code: "invalid_value",
      kind: "invalid_request",
      param,
    }),
  unknownModel: (model: string) =>
    new GatewayError({
      status: 404,
      message: `The model \`${clip(model)}\` does not exist: use a [llm.NAME] section name or a model id from GET /v1/models.`,
      type: "invalid_request_error",
      code: "model_not_found",
      kind: "unknown_model",
      param: "model",
    }),
  /** A known model id this configuration cannot send (e.g. one that needs an inference profile it does not give). */
  unsupportedModel: (message: string) =>
    new GatewayError({
      status: 400,
      message,
      type: "invalid_request_error",
      code: "model_not_supported",
      kind: "unknown_model",
      param: "model",
    }),
  busy: () =>
    new GatewayError({
      status: 429,
      message: "The gateway is at its concurrency limit and its queue is full; retry shortly.",
      type: "rate_limit_error",
      code: "gateway_overloaded",
      kind: "overloaded",
      headers: { "retry-after": "1" },
    }),
  shuttingDown: () =>
    new GatewayError({
      status: 503,
      message: "The gateway is shutting down.",
      type: "server_error",
      code: "shutting_down",
      kind: "shutting_down",
      headers: { connection: "close" },
    }),
  internal: () =>
    new GatewayError({
      status: 500,
      message: "internal error in the gateway",
      type: "server_error",
      code: "internal_error",
      kind: "internal",
    }),
};
