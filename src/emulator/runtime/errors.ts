/** Shorthands for the Bedrock errors the runtime raises. */
import { EmulatorError } from "../types.js";

export function validation(message: string): EmulatorError {
  return new EmulatorError("ValidationException", 400, message);
}

/** Errors Bedrock relays from the model itself carry this prefix. */
export function modelValidation(message: string): EmulatorError {
  return validation(`The model returned the following errors: ${message}`);
}

export function notFound(message: string): EmulatorError {
  return new EmulatorError("ResourceNotFoundException", 404, message);
}

/** Smithy's constraint-violation wording, used by Bedrock for shape errors. */
export function constraint(value: unknown, path: string, rule: string): EmulatorError {
  return validation(
    `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`,
  );
}

/** Bedrock's wrapper around JSON-schema violations of a native InvokeModel body. */
export function malformed(detail: string): EmulatorError {
  return validation(`Malformed input request: ${detail}, please reformat your input and try again.`);
}

/** The same wording without the value, as Bedrock words it for members inside the request's content. */
export function constraintAt(path: string, rule: string): EmulatorError {
  return validation(`1 validation error detected: Value at '${path}' failed to satisfy constraint: ${rule}`);
}
