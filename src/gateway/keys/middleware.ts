/**
 * The gateway's key, limit and budget checks, as two middleware:
 *
 * - authenticate, on every route after /healthz: `Authorization: Bearer <key>` or `x-api-key: <key>` must be a
 *   plain [server] api_keys key or a virtual key; the key's name goes to the access log and metrics.
 * - admitRequest, on each front door after its body limit: reads the body's `model`, checks it against the key's
 *   model list, takes the request from every rpm / tpm counter (key and model section, input tokens estimated
 *   from the body) and checks the budget, all at once, in one store round trip that the library call waits for
 *   before it sends (the door passes it on through its call slot); when the request is done (a stream when it ends), the token counters are corrected with the real
 *   usage and the real cost is charged.
 *
 * Refusals are thrown as GatewayErrors (by the middleware, or where the admission is awaited), which each door
 * answers in its API's shape.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { GatewayContext, GatewayEnv } from "../context.js";
import { type JsonBody, jsonBody } from "../json-body.js";
import { errors } from "../openai-error.js";
import { withSpan } from "../tracing.js";
import type { Ticket } from "./gate.js";

/** A rough count of input tokens from the request body: about 4 characters per token, as tokenizers average. */
export function estimateTokens(body: string): number {
  return Math.ceil(body.length / 4);
}

export function authenticate(ctx: GatewayContext): MiddlewareHandler<GatewayEnv> {
  const gate = ctx.gate;
  if (!gate.authRequired) return (_c, next) => next();
  return async (c, next) => {
    const bearer = bearerKey(c.req.header("authorization"));
    const apiKey = c.req.header("x-api-key");
    let principal = await gate.authenticate(bearer);
    if (!principal && apiKey !== undefined) principal = await gate.authenticate(apiKey);
    if (!principal) throw errors.unauthorized();
    c.set("principal", principal);
    if (principal.key) c.get("outcome").key = principal.key.name;
    await next();
  };
}

export function admitRequest(ctx: GatewayContext): MiddlewareHandler<GatewayEnv> {
  const gate = ctx.gate;
  // Without limits there is nothing to admit; a traced request still shows the (empty) step.
  if (!gate.enabled) return (c, next) => (c.get("trace") ? withSpan(c, "gateway.limits", nothing).then(next) : next());
  return async (c, next) => {
    const started = c.req.method === "POST" ? await startAdmission(ctx, c) : undefined;
    // Not awaited here: the store's round trip runs while the door validates and converts the body and the library
    // builds and signs the Bedrock request, which is sent only once admitted (slot.call.ready), or at once when far
    // below every limit (its answer then held until admitted): one round trip hidden behind work the request needs
    // anyway.
    const decided = withSpan(c, "gateway.limits", () => started?.ticket ?? nothing());
    decided.catch(() => {}); // answered where it is awaited; a request that fails validation first never is
    c.set("admission", { decided, speculative: started?.speculative ?? false });
    await next();
  };
}

const nothing = async (): Promise<undefined> => undefined;

/**
 * Starts admitting a model request (undefined for a body without a model, or one no section serves: the door itself
 * answers those, 400 or 404, before any Bedrock call); settles it once the request is done.
 */
async function startAdmission(
  ctx: GatewayContext,
  c: Context<GatewayEnv>,
): Promise<{ ticket: Promise<Ticket>; speculative: boolean } | undefined> {
  const gate = ctx.gate;
  const body = await jsonBody(c);
  const model = modelOf(body);
  const llm = model === undefined ? undefined : resolveQuietly(ctx, model);
  if (model === undefined || llm === undefined) return undefined;
  const principal = c.get("principal") ?? {};
  const { ticket, speculative } = gate.begin(principal, {
    model,
    section: llm.config.section,
    modelId: llm.config.model,
    estimate: estimateTokens(await c.req.text()), // read and kept by jsonBody
  });
  const outcome = c.get("outcome");
  outcome.onFinished = () => {
    ticket.then(
      (admitted) => {
        void gate.settle(admitted, outcome.usage, outcome.cost);
        ctx.keyMetrics.record(principal.key?.name, outcome.usage, outcome.cost);
      },
      () => {},
    );
  };
  return { ticket, speculative }; // wrapped: an async function returning the promise itself would wait for it
}

/** The key of `Authorization: Bearer <key>`; the scheme is case-insensitive (RFC 9110), some clients send "bearer". */
export function bearerKey(authorization: string | undefined): string | undefined {
  return authorization?.slice(0, 7).toLowerCase() === "bearer " ? authorization.slice(7) : undefined;
}

function modelOf(body: JsonBody): string | undefined {
  if (!body.ok || typeof body.value !== "object" || body.value === null) return undefined;
  const model = (body.value as { model?: unknown }).model;
  return typeof model === "string" ? model : undefined;
}

function resolveQuietly(ctx: GatewayContext, model: string) {
  try {
    return ctx.router.resolve(model);
  } catch {
    return undefined;
  }
}
