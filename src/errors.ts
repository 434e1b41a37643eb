/**
 * One error family for everything the library throws. Each subclass names a cause a user can act on;
 * `requestId` carries the AWS request id when Bedrock answered, so a support case can be opened with it.
 * Messages never contain secrets: callers build them from redacted values only.
 */

/**
 * Every error's `code`: the stable string to match on (docs/ERRORS.md), one per subclass. Tables keyed by it (the
 * gateway's HTTP answer, the CLI's exit code) are typed `Record<BedrockLLMErrorCode, ...>`, so a code added here
 * fails the typecheck until each of them maps it.
 */
export const ERROR_CODES = [
  "config",
  "credentials",
  "throttling",
  "validation",
  "access",
  "not_found",
  "model_not_ready",
  "service",
  "guardrail",
  "timeout",
  "aborted",
] as const;

export type BedrockLLMErrorCode = (typeof ERROR_CODES)[number];

export interface BedrockLLMErrorOptions {
  cause?: unknown;
  /** AWS request id (x-amzn-requestid) when the error came from AWS. */
  requestId?: string;
  /** The AWS error name, e.g. "ValidationException". */
  awsErrorName?: string;
  /** HTTP status of the AWS response, when there was one. */
  statusCode?: number;
}

export class BedrockLLMError extends Error {
  readonly code: BedrockLLMErrorCode = "service";
  readonly requestId: string | undefined;
  readonly awsErrorName: string | undefined;
  readonly statusCode: number | undefined;

  constructor(message: string, options: BedrockLLMErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.requestId = options.requestId;
    this.awsErrorName = options.awsErrorName;
    this.statusCode = options.statusCode;
  }
}

export interface ConfigErrorOptions extends BedrockLLMErrorOptions {
  /** Path of the configuration file, when the error is in a file. */
  file?: string;
  /** 1-based line of the offending key or section. */
  line?: number;
  /** Dotted key, e.g. "llm.sso.aws_region_name". */
  key?: string;
}

/** Invalid configuration: the message names the file, line and key, and how to fix it. */
export class ConfigError extends BedrockLLMError {
  override readonly code = "config" as const;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly key: string | undefined;

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, options);
    this.file = options.file;
    this.line = options.line;
    this.key = options.key;
  }
}

export interface CredentialsErrorOptions extends BedrockLLMErrorOptions {
  /** The authentication method that was tried, e.g. "profile", "role", "web-identity". */
  method?: string;
}

/** Credentials could not be found, resolved, assumed or refreshed. */
export class CredentialsError extends BedrockLLMError {
  override readonly code = "credentials" as const;
  readonly method: string | undefined;

  constructor(message: string, options: CredentialsErrorOptions = {}) {
    super(message, options);
    this.method = options.method;
  }
}

export interface ThrottlingErrorOptions extends BedrockLLMErrorOptions {
  /** Seconds the service asked to wait (Retry-After), if it said. */
  retryAfterSeconds?: number;
  /** Attempts made before giving up. */
  attempts?: number;
}

/** Bedrock throttled the request and retries were exhausted. */
export class ThrottlingError extends BedrockLLMError {
  override readonly code = "throttling" as const;
  readonly retryAfterSeconds: number | undefined;
  readonly attempts: number | undefined;

  constructor(message: string, options: ThrottlingErrorOptions = {}) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.attempts = options.attempts;
  }
}

/** The request was refused as invalid (ValidationException and client-side checks). Not retried. */
export class ValidationError extends BedrockLLMError {
  override readonly code = "validation" as const;
}

/** AccessDeniedException, bad signatures, unknown keys, model access not granted. Not retried. */
export class AccessDeniedError extends BedrockLLMError {
  override readonly code = "access" as const;
}

/** ResourceNotFoundException: unknown model, profile or guardrail. Not retried. */
export class ResourceNotFoundError extends BedrockLLMError {
  override readonly code = "not_found" as const;
}

/** ModelNotReadyException: the model is being loaded; retried, then reported with this. */
export class ModelNotReadyError extends BedrockLLMError {
  override readonly code = "model_not_ready" as const;
}

export interface ServiceErrorOptions extends BedrockLLMErrorOptions {
  /** Text already streamed to the caller before the failure, so nothing is lost. */
  partialText?: string;
}

/** Bedrock failed on its side (5xx, model errors, broken streams). */
export class ServiceError extends BedrockLLMError {
  override readonly code = "service" as const;
  readonly partialText: string | undefined;

  constructor(message: string, options: ServiceErrorOptions = {}) {
    super(message, options);
    this.partialText = options.partialText;
  }
}

export interface GuardrailInterventionErrorOptions extends BedrockLLMErrorOptions {
  /** The guardrail trace as Bedrock returned it, when trace was enabled. */
  trace?: unknown;
  /** The text the guardrail returned in place of the model's reply. */
  outputText?: string;
}

/** A guardrail intervened and the caller asked for an error rather than a content_filter finish. */
export class GuardrailInterventionError extends BedrockLLMError {
  override readonly code = "guardrail" as const;
  readonly trace: unknown;
  readonly outputText: string | undefined;

  constructor(message: string, options: GuardrailInterventionErrorOptions = {}) {
    super(message, options);
    this.trace = options.trace;
    this.outputText = options.outputText;
  }
}

/** The call exceeded the configured timeout (or ModelTimeoutException after retries). */
export class TimeoutError extends BedrockLLMError {
  override readonly code = "timeout" as const;
  readonly partialText: string | undefined;

  constructor(message: string, options: ServiceErrorOptions = {}) {
    super(message, options);
    this.partialText = options.partialText;
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends BedrockLLMError {
  override readonly code = "aborted" as const;
  readonly partialText: string | undefined;

  constructor(message: string, options: ServiceErrorOptions = {}) {
    super(message, options);
    this.partialText = options.partialText;
  }
}
