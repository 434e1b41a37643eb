/** A stream that broke after delivering content ends with a typed error that keeps the text delivered. */
import { AbortedError, type BedrockLLMError, ServiceError, TimeoutError } from "../errors.js";

export function withPartialText(error: BedrockLLMError, partialText: string): BedrockLLMError {
  const options = {
    cause: error.cause ?? error,
    requestId: error.requestId,
    awsErrorName: error.awsErrorName,
    statusCode: error.statusCode,
    partialText,
  };
  const message = `${error.message} The stream broke after ${partialText.length} characters of text; they are in partialText.`;
  if (error instanceof TimeoutError) return new TimeoutError(message, options);
  if (error instanceof AbortedError) return new AbortedError(message, options);
  return new ServiceError(message, options);
}
