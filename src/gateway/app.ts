/**
 * The gateway as a Hono app over a GatewayContext: fetch-shaped, so it is served by @hono/node-server (index.ts)
 * and tested with `app.request()`. Middleware runs in the order mounted here:
 *
 *   observe (access log, metrics, requests in flight, the request's trace span) -> drain refusal -> /healthz (no
 *   key) -> /admin (admin key) -> API key (keys/middleware.ts, in a span of its own) -> front doors (each behind
 *   the per-door middleware: body limit, then limits and budgets in a span) | /v1/models | /metrics -> 405 / 404
 */
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { GatewayContext, GatewayEnv } from "./context.js";
import { FRONT_DOORS } from "./front-door.js";
import { mountAdmin } from "./keys/admin.js";
import { admitRequest, authenticate } from "./keys/middleware.js";
import { limitBody } from "./middleware/body-limit.js";
import { refuseWhileDraining } from "./middleware/draining.js";
import { observe } from "./middleware/observe.js";
import { MODEL_PATH, MODELS_PATH, mountModels } from "./models.js";
import { errors, toGatewayError } from "./openai-error.js";
import { tracedMiddleware } from "./tracing.js";

export const HEALTH_PATH = "/healthz";
export const METRICS_PATH = "/metrics";

export function createGatewayApp(ctx: GatewayContext): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use(observe(ctx));
  app.use(refuseWhileDraining(ctx, HEALTH_PATH));
  // Mounted before the key check: load balancers probe it without a key.
  // 503 while draining, so a balancer stops sending here (new connections still reach it until the drain ends).
  app.all(HEALTH_PATH, (c) => c.json(health(ctx), ctx.requests.draining ? 503 : 200));
  mountAdmin(app, ctx);
  app.use(tracedMiddleware("gateway.auth", authenticate(ctx)));

  const admit = admitRequest(ctx);
  for (const door of FRONT_DOORS) app.on(door.method, door.path, limitBody(ctx.maxBodyBytes), admit, door.handler(ctx));
  mountModels(app, ctx);
  app.get(METRICS_PATH, async (c) =>
    c.body(await ctx.metrics.render(), 200, { "content-type": ctx.metrics.contentType }),
  );

  // A known path with another method is 405; anything else 404 (after the key check, so paths do not leak).
  for (const path of [...FRONT_DOORS.map((door) => door.path), MODELS_PATH, MODEL_PATH, METRICS_PATH]) {
    app.all(path, (c) => {
      throw errors.methodNotAllowed(c.req.method, c.req.path);
    });
  }
  app.notFound((c) => answerError(c, ctx, errors.notFound(c.req.path)));
  app.onError((error, c) => answerError(c, ctx, error));
  return app;
}

/** /healthz: draining or ok, and the key and limit store's state when there is one. */
function health(ctx: GatewayContext): { status: string; store?: string } {
  const status = ctx.requests.draining ? "draining" : "ok";
  const store = ctx.gate.storeHealth;
  return store === "none" ? { status } : { status, store };
}

/** A door's error format by its path (Anthropic's on /v1/messages); OpenAI's elsewhere. */
const ERROR_FORMAT_BY_PATH = new Map(FRONT_DOORS.map((door) => [door.path, door.toError ?? toGatewayError]));

/** The answer for anything a route threw, in its door's format; the kind and status go to the log and metrics. */
function answerError(c: Context<GatewayEnv>, ctx: GatewayContext, error: unknown): Response {
  const failure = (ERROR_FORMAT_BY_PATH.get(c.req.path) ?? toGatewayError)(error);
  if (failure.operatorDetail) ctx.operatorLog(failure.operatorDetail);
  const outcome = c.get("outcome");
  outcome.errorKind = failure.kind;
  outcome.status = failure.status;
  // Served by Node, a response already started (or a client already gone) cannot take an error answer.
  const outgoing = c.env?.outgoing;
  if (outgoing && (outgoing.headersSent || outgoing.destroyed)) {
    if (!outgoing.writableEnded) outgoing.destroy();
    return RESPONSE_ALREADY_SENT;
  }
  return c.json(failure.body(), failure.status as ContentfulStatusCode, failure.headers);
}
