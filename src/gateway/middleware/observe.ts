/**
 * Around every request: counts it in flight (for /metrics and the drain of a shutdown), then writes its one
 * access-log line and records its metrics once its response is complete (for a streamed body, once the stream is).
 */
import type { MiddlewareHandler } from "hono";
import { accessLogEntry } from "../access-log.js";
import type { GatewayContext, GatewayEnv, RequestOutcome } from "../context.js";

export function observe(ctx: GatewayContext): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const started = performance.now();
    const outcome: RequestOutcome = {};
    c.set("outcome", outcome);
    ctx.requests.start();
    let answered = false;
    const finish = () => {
      const status = outcome.status ?? (answered ? c.res.status : 500);
      const latencyMs = performance.now() - started;
      ctx.metrics.recordRequest(status, latencyMs);
      if (outcome.errorKind) ctx.metrics.recordError(outcome.errorKind);
      if (outcome.usage || outcome.cost) ctx.metrics.recordUsage(outcome.usage, outcome.cost);
      ctx.accessLog?.(accessLogEntry(c.req.method, c.req.path, status, latencyMs, outcome));
      ctx.requests.finish();
    };
    try {
      await next();
      answered = true;
    } finally {
      if (outcome.settled) void outcome.settled.then(finish);
      else finish();
    }
  };
}
