/** Bedrock's error vocabulary: HTTP status and default message per error name, and how errors go on the wire. */
import type { AuthFailure } from "./auth.js";
import { type ResponseSink, sendJson } from "./exchange.js";
import { EmulatorError } from "./types.js";

interface ErrorSpec {
  status: number;
  message: string;
}

/** Status and default message of each Bedrock Runtime error, per the API reference. */
export const BEDROCK_ERRORS: Record<string, ErrorSpec> = {
  ThrottlingException: {
    status: 429,
    message: "Too many requests, please wait before trying again.",
  },
  ServiceUnavailableException: {
    status: 503,
    message: "The service isn't currently available. Try again later.",
  },
  InternalServerException: {
    status: 500,
    message: "An internal server error occurred. Retry your request.",
  },
  ModelNotReadyException: {
    status: 429,
    message:
      "Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation up to 5 times.",
  },
  ModelTimeoutException: {
    status: 408,
    message: "The request took too long to process. Processing time exceeded the model timeout length.",
  },
  ModelErrorException: {
    status: 424,
    message: "The request failed due to an error while processing the model.",
  },
  ModelStreamErrorException: {
    status: 424,
    message: "An error occurred while streaming the response. Retry your request.",
  },
  ValidationException: {
    status: 400,
    message: "Input validation failed. Check your request parameters and retry the request.",
  },
  AccessDeniedException: {
    status: 403,
    message: "You don't have access to the model with the specified model ID.",
  },
  ServiceQuotaExceededException: {
    status: 429,
    message: "Your request exceeds the service quota for your account. You can resubmit your request later.",
  },
  ResourceNotFoundException: {
    status: 404,
    message: "The specified resource ARN was not found. Check the ARN and try your request again.",
  },
};

/** Exceptions the Converse/Invoke stream unions define; others travel as modelStreamErrorException. */
const STREAM_EXCEPTIONS = new Set([
  "internalServerException",
  "modelStreamErrorException",
  "validationException",
  "throttlingException",
  "serviceUnavailableException",
  "modelTimeoutException",
]);

/** The in-stream (camelCase) name of an error, e.g. ThrottlingException -> throttlingException. */
export function streamExceptionType(errorName: string): string {
  const camel = errorName.charAt(0).toLowerCase() + errorName.slice(1);
  return STREAM_EXCEPTIONS.has(camel) ? camel : "modelStreamErrorException";
}

export function bedrockError(errorName: string, message?: string): EmulatorError {
  const spec = BEDROCK_ERRORS[errorName];
  return new EmulatorError(errorName, spec?.status ?? 400, message ?? spec?.message ?? errorName);
}

/** Renders an error as Bedrock does: x-amzn-ErrorType header, JSON body with the message. */
export function sendBedrockError(res: ResponseSink, error: EmulatorError, headers: Record<string, string> = {}): void {
  sendJson(
    res,
    error.status,
    { message: error.message, __type: error.errorName },
    { "x-amzn-ErrorType": error.errorName, ...headers },
  );
}

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** Bedrock's answer to a failed authentication (status 403 except malformed headers). */
export function bedrockAuthError(failure: AuthFailure): EmulatorError {
  switch (failure.code) {
    case "missing":
      return new EmulatorError("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
    case "malformed":
      return new EmulatorError(
        "IncompleteSignatureException",
        400,
        "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and an X-Amz-Date header.",
      );
    case "wrongService":
      return new EmulatorError(
        "InvalidSignatureException",
        403,
        `Credential should be scoped to correct service: '${failure.detail ?? "bedrock"}'.`,
      );
    case "unknownKey":
    case "invalidToken":
      return new EmulatorError(
        "UnrecognizedClientException",
        403,
        "The security token included in the request is invalid.",
      );
    case "expired":
      return new EmulatorError("ExpiredTokenException", 403, "The security token included in the request is expired");
    case "badSignature":
      return new EmulatorError("InvalidSignatureException", 403, SIGNATURE_MISMATCH);
    case "clockSkew":
    case "scopeDate":
      return new EmulatorError("InvalidSignatureException", 403, failure.detail ?? SIGNATURE_MISMATCH);
    case "badApiKeyFormat":
      return new EmulatorError(
        "AccessDeniedException",
        403,
        "Invalid API Key format: Must start with pre-defined prefix",
      );
    case "badApiKey":
      return new EmulatorError(
        "AccessDeniedException",
        403,
        "Authentication failed: Please make sure your API Key is valid.",
      );
  }
}

export { SIGNATURE_MISMATCH };
