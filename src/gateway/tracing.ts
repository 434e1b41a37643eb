/**
 * The gateway's traces: one SERVER span per request (HTTP semantic conventions; an incoming W3C `traceparent`
 * makes it a child of the caller's span), made the active span while the request is handled so that the library's
 * call spans (chat, attempts) sit below it; child spans for the middleware steps (`tracedMiddleware`, `withSpan`:
 * the key check, a concurrency slot, and whatever limit checks are added) and for writing the response.
 * Without an OpenTelemetry SDK the tracer records nothing and a request costs one non-recording span.
 * Attributes hold the method, route, status, model name and key name, never a key, a header's value or a body.
 */
import {
  type Attributes,
  context,
  type Context as OtelContext,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { GatewayEnv, RequestOutcome } from "./context.js";

/** The instrumentation scope of the gateway's own spans. */
export const GATEWAY_TRACER_NAME = "bedrock-llm-gateway";

/** Reads the propagation headers (traceparent, tracestate, baggage) of a Hono request. */
const HEADERS: TextMapGetter<Context<GatewayEnv>> = {
  get: (c, key) => c.req.header(key),
  keys: (c) => Object.keys(c.req.header()),
};

export class RequestTracing {
  readonly tracer: Tracer;

  constructor(tracer?: Tracer) {
    // Looked up once: the API's proxy tracer finds an SDK registered later by itself.
    this.tracer = tracer ?? trace.getTracer(GATEWAY_TRACER_NAME);
  }

  /** The request's span, or undefined when nothing records it. */
  start(c: Context<GatewayEnv>): RequestSpan | undefined {
    const parent = propagation.extract(ROOT_CONTEXT, c, HEADERS);
    const method = c.req.method;
    const route = routeOf(c);
    const span = this.tracer.startSpan(route ? `${method} ${route}` : method, { kind: SpanKind.SERVER }, parent);
    if (!span.isRecording()) return undefined;
    const attributes: Attributes = { "http.request.method": method, "url.path": c.req.path, "url.scheme": "http" };
    if (route) attributes["http.route"] = route;
    span.setAttributes(attributes);
    return new RequestSpan(this.tracer, span, trace.setSpan(parent, span));
  }
}

/** The route pattern that answers (the last one matched), unless only the catch-all middleware matched. */
function routeOf(c: Context<GatewayEnv>): string | undefined {
  const route = routePath(c, -1);
  return route.includes("*") ? undefined : route;
}

export class RequestSpan {
  private response: Span | undefined;

  constructor(
    private readonly tracer: Tracer,
    readonly span: Span,
    /** The context with this span active: the handler runs in it. */
    readonly context: OtelContext,
  ) {}

  /** Runs `fn` (the rest of the middleware chain) with this span active. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return context.with(this.context, fn);
  }

  /** A child span of the request (a middleware step, a check). */
  child(name: string): Span {
    return this.tracer.startSpan(name, { kind: SpanKind.INTERNAL }, this.context);
  }

  /** The response starts to be written (a handler's answer, an event stream's first event): its span begins. */
  responding(): void {
    this.response ??= this.child("gateway.response");
  }

  /** The response is written (or the connection closed): status and outcome, then both spans end. */
  end(status: number, outcome: RequestOutcome): void {
    const attributes: Attributes = { "http.response.status_code": status };
    if (outcome.key) attributes["bedrock_llm.key.name"] = outcome.key;
    if (outcome.model !== undefined) attributes["bedrock_llm.model"] = outcome.model;
    if (outcome.stream !== undefined) attributes["bedrock_llm.stream"] = outcome.stream;
    if (outcome.servedBy) attributes["bedrock_llm.served_by"] = outcome.servedBy;
    if (outcome.errorKind) attributes["bedrock_llm.error.kind"] = outcome.errorKind;
    if (outcome.endedBy) attributes["bedrock_llm.ended_by"] = outcome.endedBy;
    // A server span is in error for a 5xx only: a 4xx is the client's (HTTP semantic conventions).
    if (status >= 500) {
      attributes["error.type"] = outcome.errorKind ?? String(status);
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.setAttributes(attributes);
    this.response?.end();
    this.span.end();
  }
}

/**
 * A middleware wrapped in a span named `name`, covering its own work: from its start until it calls next() (or
 * answers, or throws). Only below a recording request span; otherwise the middleware runs as it is.
 */
export function tracedMiddleware(
  name: string,
  middleware: MiddlewareHandler<GatewayEnv>,
): MiddlewareHandler<GatewayEnv> {
  return (c, next) => {
    const request = c.get("trace");
    if (!request) return middleware(c, next);
    const span = request.child(name);
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      if (error !== undefined) fail(span, error);
      span.end();
    };
    return middleware(c, () => {
      end();
      return next();
    }).then(
      (result) => {
        end();
        return result;
      },
      (error: unknown) => {
        end(error);
        throw error;
      },
    );
  };
}

/**
 * `fn` inside a child span of the request's span (a limit or key check, a store lookup), ended when it settles;
 * an error it throws marks the span. Without a recording request span, just `fn()`.
 */
export async function withSpan<T>(
  c: Context<GatewayEnv>,
  name: string,
  fn: () => Promise<T>,
  attributes?: Attributes,
): Promise<T> {
  const request = c.get("trace");
  if (!request) return fn();
  const span = request.child(name);
  if (attributes) span.setAttributes(attributes);
  try {
    return await context.with(trace.setSpan(request.context, span), fn);
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The error's kind (a gateway refusal's status, an error's class), never its message. */
function fail(span: Span, error: unknown): void {
  const status = (error as { status?: unknown } | null)?.status;
  const type = typeof status === "number" ? String(status) : error instanceof Error ? error.name : "_OTHER";
  span.setAttribute("error.type", type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}
