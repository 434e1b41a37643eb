/** API-key check for every route mounted after it: `Authorization: Bearer <key>` with a configured key, else 401. */
import type { MiddlewareHandler } from "hono";
import type { ApiKeyCheck } from "../auth.js";
import type { GatewayEnv } from "../context.js";
import { errors } from "../openai-error.js";

export function requireApiKey(keys: ApiKeyCheck): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (!keys.allows(c.req.header("authorization"))) throw errors.unauthorized();
    await next();
  };
}
