/** Bedrock's error vocabulary: HTTP status and default message per error name, and how errors go on the wire. */
import type { AuthFailure } from "./auth.js";
import { type ResponseSink, sendJson } from "./exchange.js";
import { EmulatorError, type StreamEvent } from "./types.js";

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
  // 400 per the botocore model and the API reference, although the name reads like throttling.
  ServiceQuotaExceededException: {
    status: 400,
    message: "Your request exceeds the service quota for your account. You can resubmit your request later.",
  },
  ResourceNotFoundException: {
    status: 404,
    message: "The specified resource ARN was not found. Check the ARN and try your request again.",
  },
};

/**
 * The exception members of each stream union in the botocore model: ConverseStreamOutput has no
 * modelTimeoutException, ResponseStream (InvokeModelWithResponseStream) has. A frame of a type the operation does
 * not define reaches SDK clients as an exception without a code.
 */
const STREAM_EXCEPTIONS: Record<string, ReadonlySet<string>> = {
  ConverseStream: new Set([
    "internalServerException",
    "modelStreamErrorException",
    "validationException",
    "throttlingException",
    "serviceUnavailableException",
  ]),
  InvokeModelWithResponseStream: new Set([
    "internalServerException",
    "modelStreamErrorException",
    "validationException",
    "throttlingException",
    "modelTimeoutException",
    "serviceUnavailableException",
  ]),
};

/**
 * An error raised after a stream started, as the exception frame the operation defines: its own camelCase member
 * (ThrottlingException -> throttlingException), or else modelStreamErrorException carrying the original status
 * and message, as Bedrock reports a model failure it has no member for.
 */
export function streamExceptionFrame(error: EmulatorError, operation: string): StreamEvent {
  const camel = error.errorName.charAt(0).toLowerCase() + error.errorName.slice(1);
  if (STREAM_EXCEPTIONS[operation]?.has(camel)) {
    return { type: "exception", exceptionType: camel, payload: { message: error.message } };
  }
  return {
    type: "exception",
    exceptionType: "modelStreamErrorException",
    payload: {
      message: BEDROCK_ERRORS.ModelStreamErrorException?.message ?? error.message,
      originalStatusCode: error.status,
      originalMessage: error.message,
    },
  };
}

export function bedrockError(errorName: string, message?: string): EmulatorError {
  const spec = BEDROCK_ERRORS[errorName];
  return new EmulatorError(errorName, spec?.status ?? 400, message ?? spec?.message ?? errorName);
}

/**
 * Renders an error as Bedrock does: x-amzn-ErrorType header, JSON body with only the message (the recorded
 * Bedrock error bodies hold no other member).
 */
export function sendBedrockError(res: ResponseSink, error: EmulatorError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { message: error.message }, { "x-amzn-ErrorType": error.errorName, ...headers });
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
