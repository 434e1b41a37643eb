/** The Responses door's own refusals, in OpenAI's error shape (the codes are listed in docs/ERRORS.md). */
import { GatewayError } from "../openai-error.js";

export const responsesErrors = {
  /** previous_response_id names nothing the store holds: never stored, expired, deleted or evicted. */
  previousResponseNotFound: (id: string, ttlSeconds: number) =>
    new GatewayError({
      status: 400,
      message: `Previous response with id '${id}' not found: it was not stored (store: false), or has expired (responses are kept ${describeSeconds(ttlSeconds)}), or was deleted. Send the whole conversation in input instead.`,
      type: "invalid_request_error",
      code: "previous_response_not_found",
      kind: "previous_response_not_found",
      param: "previous_response_id",
    }),
  /** GET or DELETE of a response the store does not hold. */
  responseNotFound: (id: string) =>
    new GatewayError({
      status: 404,
      message: `Response with id '${id}' not found.`,
      type: "invalid_request_error",
      code: "response_not_found",
      kind: "response_not_found",
      param: "response_id",
    }),
};

function describeSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  return `${seconds} seconds`;
}
