/** STS's wire format: query-protocol requests, XML responses and errors in the 2011-06-15 namespace. */
import type { AuthFailure } from "./auth.js";
import { BEDROCK_ERRORS, SIGNATURE_MISMATCH } from "./bedrock-errors.js";
import { type ResponseSink, sendBody } from "./exchange.js";
import { escapeXml, type XmlTree, xmlElements } from "./xml.js";

export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

export class StsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

export function sendStsResult(res: ResponseSink, action: string, result: XmlTree, requestId: string): void {
  const xml =
    `<${action}Response xmlns="${STS_NAMESPACE}">` +
    `<${action}Result>${xmlElements(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  sendBody(res, 200, "text/xml", xml);
}

export function sendStsError(res: ResponseSink, error: StsError, requestId: string): void {
  const xml =
    `<ErrorResponse xmlns="${STS_NAMESPACE}">` +
    `<Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId>` +
    "</ErrorResponse>";
  sendBody(res, error.status, "text/xml", xml);
}

export function stsAuthError(failure: AuthFailure): StsError {
  switch (failure.code) {
    case "missing":
      return new StsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
    case "wrongService":
      return new StsError("SignatureDoesNotMatch", 403, `Credential should be scoped to correct service: 'sts'.`);
    case "unknownKey":
    case "invalidToken":
      return new StsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
    case "expired":
      return new StsError("ExpiredToken", 400, "The security token included in the request is expired");
    case "badSignature":
      return new StsError("SignatureDoesNotMatch", 403, SIGNATURE_MISMATCH);
    case "clockSkew":
    case "scopeDate":
      return new StsError("SignatureDoesNotMatch", 403, failure.detail ?? SIGNATURE_MISMATCH);
    default:
      return new StsError(
        "IncompleteSignature",
        400,
        "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and an X-Amz-Date header.",
      );
  }
}

/** STS's own code, status and message for the Bedrock-vocabulary error names fault rules use. */
const STS_FAULTS: Record<string, [code: string, status: number, message: string]> = {
  ThrottlingException: ["Throttling", 400, "Rate exceeded"],
  ServiceUnavailableException: ["ServiceUnavailable", 503, "Service is unavailable. Please try again later."],
  InternalServerException: ["InternalFailure", 500, "An internal error occurred."],
  AccessDeniedException: ["AccessDenied", 403, "Access denied"],
};

/** An injected fault on an STS action, in STS's words when it has its own (Throttling, AccessDenied...). */
export function stsFaultError(errorName: string, message?: string): StsError {
  const bedrock = BEDROCK_ERRORS[errorName];
  const [code, status, defaultMessage] = STS_FAULTS[errorName] ?? [
    errorName,
    bedrock?.status ?? 400,
    bedrock?.message ?? errorName,
  ];
  return new StsError(code, status, message ?? defaultMessage, status >= 500 ? "Receiver" : "Sender");
}

/** `1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: ...` as STS words it. */
export function stsValidationError(field: string, value: string | undefined, constraint: string): StsError {
  const shown = value === undefined ? "null" : `'${value}'`;
  return new StsError(
    "ValidationError",
    400,
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** STS timestamps: ISO 8601 without milliseconds. */
export function stsTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}
