/**
 * API-key check for every route mounted after it: `Authorization: Bearer <key>` with a configured key, or
 * `x-api-key: <key>` as Anthropic's clients send it; else 401.
 */
import type { MiddlewareHandler } from "hono";
import type { ApiKeyCheck } from "../auth.js";
import type { GatewayEnv } from "../context.js";
import { errors } from "../openai-error.js";

export function requireApiKey(keys: ApiKeyCheck): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (!keys.allows(c.req.header("authorization")) && !keys.allowsKey(c.req.header("x-api-key"))) {
      throw errors.unauthorized();
    }
    await next();
  };
}
