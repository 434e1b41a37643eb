/**
 * The refusals of virtual keys, limits and budgets, as GatewayErrors (OpenAI's format); the Anthropic door answers
 * the same refusals in its own format by their status (401 authentication_error, 403 permission_error, 429
 * rate_limit_error, 503 api_error). Messages name the key's name and the limit, never the key.
 */
import { GatewayError } from "../openai-error.js";

export type LimitKind = "rpm" | "tpm";

export const keyErrors = {
  expired: (name: string) =>
    new GatewayError({
      status: 401,
      message: `The API key "${name}" has expired.`,
      type: "authentication_error",
      code: "expired_api_key",
      kind: "key_expired",
    }),
  modelNotAllowed: (name: string, model: string) =>
    new GatewayError({
      status: 403,
      message: `The API key "${name}" may not use the model \`${model}\`.`,
      type: "permission_error",
      code: "model_not_allowed",
      kind: "model_not_allowed",
      param: "model",
    }),
  limited: (scope: string, limit: LimitKind, value: number, retryAfter: number, estimate?: number) =>
    new GatewayError({
      status: 429,
      message:
        limit === "rpm"
          ? `Rate limit reached for ${scope}: ${value} requests per minute. Retry after ${retryAfter} s.`
          : `Token limit reached for ${scope}: ${value} tokens per minute${estimate === undefined ? "" : ` (this request: about ${estimate} input tokens)`}. Retry after ${retryAfter} s.`,
      type: "rate_limit_error",
      code: limit === "rpm" ? "rate_limit_exceeded" : "tokens_limit_exceeded",
      kind: `${limit}_limited`,
      headers: { "retry-after": String(retryAfter) },
    }),
  budget: (name: string, budget: number, period: string, retryAfter: number) =>
    new GatewayError({
      status: 429,
      message: `The API key "${name}" has spent its budget of ${budget} USD for this ${describePeriod(period)}; it renews in ${retryAfter} s.`,
      type: "insufficient_quota",
      code: "budget_exceeded",
      kind: "budget_exceeded",
      // Retrying soon cannot help: tell the OpenAI and Anthropic SDKs not to.
      headers: { "retry-after": String(retryAfter), "x-should-retry": "false" },
    }),
  storeUnavailable: () =>
    new GatewayError({
      status: 503,
      message: "The gateway cannot reach its key and limit store; retry shortly.",
      type: "server_error",
      code: "store_unavailable",
      kind: "store_unavailable",
      headers: { "retry-after": "1" },
    }),
};

function describePeriod(period: string): string {
  return /^\d+d$/.test(period) ? `${period.slice(0, -1)}-day period` : period;
}
