/**
 * Around every request: counts it in flight (for /metrics and the drain of a shutdown), then writes its one
 * access-log line and records its metrics once both its handler and its response are done. Served by Node, that
 * is the response's "close" (after @hono/node-server wrote it: a shutdown must not cut a reply that is ready but
 * not yet written); otherwise when the handler returned, or when a streamed body has been sent. The request's
 * trace span (when one records) is active while it is handled and ends with it.
 */
import type { MiddlewareHandler } from "hono";
import { accessLogEntry } from "../access-log.js";
import type { GatewayContext, GatewayEnv, RequestOutcome } from "../context.js";

export function observe(ctx: GatewayContext): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const started = performance.now();
    const outcome: RequestOutcome = {};
    c.set("outcome", outcome);
    const span = ctx.tracing.start(c);
    if (span) c.set("trace", span);
    ctx.requests.start();
    const res = c.env?.outgoing;
    let handled = false;
    let answered = false;
    let closed = false;
    const finish = () => {
      const status = outcome.status ?? (res ? res.statusCode : answered ? c.res.status : 500);
      const latencyMs = performance.now() - started;
      ctx.metrics.recordRequest(status, latencyMs);
      if (outcome.errorKind) ctx.metrics.recordError(outcome.errorKind);
      if (outcome.usage || outcome.cost) ctx.metrics.recordUsage(outcome.usage, outcome.cost);
      ctx.accessLog?.(accessLogEntry(c.req.method, c.req.path, status, latencyMs, outcome));
      outcome.onFinished?.();
      span?.end(status, outcome);
      ctx.requests.finish();
    };
    res?.once("close", () => {
      closed = true;
      if (handled) finish();
    });
    try {
      await (span ? span.run(next) : next());
      answered = true;
      span?.responding();
    } finally {
      handled = true;
      if (res) {
        if (closed) finish();
      } else if (outcome.settled) void outcome.settled.then(finish);
      else finish();
    }
  };
}
