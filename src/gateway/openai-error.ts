/**
 * Errors in OpenAI's wire format, {"error": {"message", "type", "param", "code"}}, with the status code an OpenAI
 * client expects. Library errors map by cause; the message is the library's, which never holds a secret.
 */
import {
  AbortedError,
  AccessDeniedError,
  BedrockLLMError,
  ConfigError,
  CredentialsError,
  GuardrailInterventionError,
  ModelNotReadyError,
  ResourceNotFoundError,
  ServiceError,
  ThrottlingError,
  TimeoutError,
  ValidationError,
} from "../errors.js";

export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error"
  | "upstream_error";

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

/** An error the gateway answers with: status, OpenAI body, extra headers, and the kind counted in /metrics. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAIErrorType,
    readonly code: string | null,
    readonly kind: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
    /** The full cause, for the gateway's own log only: clients get `message`, which names no ARN, file or key. */
    readonly operatorDetail?: string,
  ) {
    super(message);
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

const SEE_LOG = "The gateway's operator will find the cause in its log.";
const OPERATOR_MESSAGES = {
  accessDenied: `Amazon Bedrock refused the gateway's credentials for this model (access denied). ${SEE_LOG}`,
  credentials: `The gateway could not obtain AWS credentials for Amazon Bedrock. ${SEE_LOG}`,
  config: `The gateway's configuration for this model is invalid. ${SEE_LOG}`,
};

/** Maps anything a request handler can throw to the answer the client gets. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (!(error instanceof BedrockLLMError)) {
    return new GatewayError(500, "internal error in the gateway", "server_error", "internal_error", "internal");
  }
  const message = error.requestId ? `${error.message} (AWS request id: ${error.requestId})` : error.message;
  const upstream = (status: number, code: string) =>
    new GatewayError(status, message, "upstream_error", code, error.code);
  if (error instanceof ThrottlingError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1));
    return new GatewayError(429, message, "rate_limit_error", "rate_limit_exceeded", error.code, null, {
      "retry-after": String(seconds),
    });
  }
  if (error instanceof ValidationError) {
    return new GatewayError(400, message, "invalid_request_error", "invalid_request", error.code);
  }
  if (error instanceof GuardrailInterventionError) {
    return new GatewayError(400, message, "invalid_request_error", "content_filter", error.code);
  }
  if (error instanceof ResourceNotFoundError) return upstream(404, "upstream_not_found");
  if (error instanceof ModelNotReadyError) return upstream(503, "model_not_ready");
  if (error instanceof TimeoutError) return upstream(504, "upstream_timeout");
  // The gateway's own credentials and configuration are the operator's business: their messages name role ARNs,
  // profiles, files and keys, so remote clients get a generic sentence and the gateway's log gets the detail.
  const operatorSide = (status: number, type: OpenAIErrorType, code: string, publicMessage: string) =>
    new GatewayError(status, publicMessage, type, code, error.code, null, {}, message);
  if (error instanceof AccessDeniedError) {
    return operatorSide(502, "upstream_error", "upstream_access_denied", OPERATOR_MESSAGES.accessDenied);
  }
  if (error instanceof CredentialsError) {
    return operatorSide(502, "upstream_error", "upstream_credentials", OPERATOR_MESSAGES.credentials);
  }
  if (error instanceof ConfigError) {
    return operatorSide(500, "server_error", "gateway_config", OPERATOR_MESSAGES.config);
  }
  if (error instanceof AbortedError) return new GatewayError(499, message, "server_error", "client_closed", error.code);
  if (error instanceof ServiceError && error.statusCode === 503) return upstream(503, "upstream_unavailable");
  return upstream(502, "upstream_error");
}

export const errors = {
  unauthorized: () =>
    new GatewayError(
      401,
      "Incorrect or missing API key: send Authorization: Bearer <key> with a key from [server] api_keys.",
      "authentication_error",
      "invalid_api_key",
      "unauthorized",
    ),
  notFound: (path: string) =>
    new GatewayError(404, `Unknown path ${path}.`, "not_found_error", "unknown_url", "unknown_path"),
  methodNotAllowed: (method: string, path: string) =>
    new GatewayError(
      405,
      `${method} is not allowed on ${path}.`,
      "invalid_request_error",
      "method_not_allowed",
      "bad_method",
    ),
  bodyTooLarge: (limit: number) =>
    new GatewayError(
      413,
      `Request body exceeds ${limit} bytes ([server] max_body_bytes).`,
      "invalid_request_error",
      "request_too_large",
      "body_too_large",
    ),
  badJson: () =>
    new GatewayError(
      400,
      "The request body is not valid JSON.",
      "invalid_request_error",
      "invalid_json",
      "invalid_json",
    ),
  badField: (message: string, param: string | null) =>
    new GatewayError(400, message, "invalid_request_error", "invalid_value", "invalid_request", param),
  unknownModel: (model: string) =>
    new GatewayError(
      404,
      `The model \`${model}\` does not exist: use a [llm.NAME] section name or a model id from GET /v1/models.`,
      "invalid_request_error",
      "model_not_found",
      "unknown_model",
      "model",
    ),
  busy: () =>
    new GatewayError(
      429,
      "The gateway is at its concurrency limit and its queue is full; retry shortly.",
      "rate_limit_error",
      "gateway_overloaded",
      "overloaded",
      null,
      { "retry-after": "1" },
    ),
  shuttingDown: () =>
    new GatewayError(503, "The gateway is shutting down.", "server_error", "shutting_down", "shutting_down", null, {
      connection: "close",
    }),
};
