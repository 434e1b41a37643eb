/** During a shutdown's drain: every answer closes its connection, and only /healthz is still served (503 else). */
import type { MiddlewareHandler } from "hono";
import type { GatewayContext, GatewayEnv } from "../context.js";
import { errors } from "../openai-error.js";

export function refuseWhileDraining(ctx: GatewayContext, servedPath: string): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (ctx.requests.draining) {
      c.header("connection", "close");
      if (c.req.path !== servedPath) throw errors.shuttingDown();
    }
    await next();
  };
}
