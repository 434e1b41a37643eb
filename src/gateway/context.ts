/**
 * What every route and middleware of one gateway shares: the model router, the concurrency limiter, the API keys,
 * metrics, the count of requests in flight, and where log lines go. Built once per gateway from its configuration;
 * tests build one and drive the app with `app.request()`.
 */
import type { HttpBindings } from "@hono/node-server";
import type { Tracer } from "@opentelemetry/api";
import type { CompletionUsage } from "../chat/index.js";
import type { BedrockLLMConfig } from "../config/types.js";
import type { LLMOptions } from "../llm/index.js";
import { MemoryResponseStore, type ResponseStore } from "../store/index.js";
import { type AccessLogger, stderrAccessLog, stderrOperatorError, stderrWarning } from "./access-log.js";
import { ApiKeyCheck, configuredApiKeys } from "./auth.js";
import { InFlightRequests } from "./drain.js";
import type { JsonBody } from "./json-body.js";
import { DeferredResponseStore } from "./keys/deferred-response-store.js";
import { KeyGate, type KeyGateOptions, type Principal } from "./keys/gate.js";
import { KeyMetrics } from "./keys/metrics.js";
import { ConcurrencyLimiter } from "./limiter.js";
import { GatewayMetrics } from "./metrics.js";
import { ModelRouter } from "./model-router.js";
import type { StoredResponse } from "./responses/types.js";
import { type RequestSpan, RequestTracing } from "./tracing.js";

export interface GatewayContext {
  router: ModelRouter;
  limiter: ConcurrencyLimiter;
  keys: ApiKeyCheck;
  /** Virtual keys, limits and budgets, over the gateway's store. */
  gate: KeyGate;
  keyMetrics: KeyMetrics;
  maxBodyBytes: number;
  metrics: GatewayMetrics;
  /** Requests in flight, and whether a shutdown is draining them. */
  requests: InFlightRequests;
  /** Controllers of calls in progress, aborted when a shutdown's drain time runs out. */
  inProgress: Set<AbortController>;
  /** One line per request; undefined when the access log is off. */
  accessLog: AccessLogger | undefined;
  /** The cause of an operator-side failure (credentials, access, configuration), which clients see summarised. */
  operatorLog: (message: string) => void;
  /** Stored responses (Responses API `store: true`), kept [server] responses_ttl seconds. */
  responses: ResponseStore<StoredResponse>;
  responsesTtl: number;
  /** The requests' spans (docs/GATEWAY.md, Traces). */
  tracing: RequestTracing;
}

export interface GatewayContextOptions {
  /** Where access-log lines go (default: one JSON line on stderr); false turns the log off. */
  accessLog?: AccessLogger | false;
  /** Environment read for BEDROCK_LLM_API_KEYS (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Passed to every LLM instance. */
  llmOptions?: LLMOptions;
  /**
   * Where stored responses live (default: the gateway's store when it has one, else in process, bounded by
   * [server] responses_max_bytes).
   */
  responseStore?: ResponseStore<StoredResponse>;
  /**
   * The OpenTelemetry tracer for the requests' spans, and the calls' unless llmOptions has its own. Default: the
   * global API's tracer, which records nothing until an SDK is registered (serve registers one when OTEL_* say so).
   */
  tracer?: Tracer;
  /** The clock of limit windows, budget periods and key expiry, in ms (tests fix it; default Date.now). */
  now?: () => number;
  /** Opens the key and limit store (default: the one [server.store] configures). */
  openStore?: KeyGateOptions["openStore"];
  /** How long settles wait for an admission to carry them (tests lengthen it). */
  settleWaitMs?: number;
}

/** Builds the shared state; throws ConfigError for a section whose model cannot be resolved. */
export function createGatewayContext(config: BedrockLLMConfig, options: GatewayContextOptions = {}): GatewayContext {
  const tracer = options.tracer ? { tracer: options.tracer } : {};
  const router = new ModelRouter(config, { onWarning: stderrWarning, ...tracer, ...options.llmOptions });
  const limiter = new ConcurrencyLimiter(config.server.max_concurrency, config.server.max_queue);
  const requests = new InFlightRequests();
  const keys = new ApiKeyCheck(configuredApiKeys(config.server.api_keys, options.env ?? process.env));
  const gate = new KeyGate(config, keys, {
    ...(options.env && { env: options.env }),
    ...(options.openStore && { openStore: options.openStore }),
    ...(options.now && { now: options.now }),
    ...(options.settleWaitMs !== undefined && { settleWaitMs: options.settleWaitMs }),
    // Not the once-per-text log: the gate says each change of the store's state once, and an outage may recur.
    log: (level, message) =>
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message })}\n`),
  });
  const metrics = new GatewayMetrics({
    inFlight: () => requests.size,
    queued: () => limiter.queued,
    retries: () => router.instances().reduce((sum, llm) => sum + llm.metrics.retries, 0),
    routing: () => router.instances().map((llm) => llm.metrics.routing),
  });
  const storeUp = gate.enabled ? () => (gate.storeHealth === "unavailable" ? 0 : 1) : undefined;
  return {
    router,
    limiter,
    keys,
    gate,
    keyMetrics: new KeyMetrics(metrics.registry, storeUp),
    maxBodyBytes: config.server.max_body_bytes,
    metrics,
    requests,
    inProgress: new Set(),
    accessLog: options.accessLog === false ? undefined : (options.accessLog ?? stderrAccessLog),
    operatorLog: stderrOperatorError,
    responses:
      options.responseStore ??
      (gate.enabled
        ? new DeferredResponseStore<StoredResponse>(async () => (await gate.open()).responses)
        : new MemoryResponseStore({ maxBytes: config.server.responses_max_bytes })),
    responsesTtl: config.server.responses_ttl,
    tracing: new RequestTracing(options.tracer),
  };
}

/** What happened to one request, filled in by its route for the access log and metrics. */
export interface RequestOutcome {
  /** Overrides the response's status (499 when the client left mid-stream). */
  status?: number;
  model?: string;
  stream?: boolean;
  usage?: CompletionUsage | null;
  cost?: number;
  finishReason?: string;
  errorKind?: string;
  /** The configuration section that answered (after fallbacks or a pick among deployments). */
  servedBy?: string;
  /** Who ended a call cut short: the client (it left) or the server (shutdown). */
  endedBy?: "client" | "server";
  /** The virtual key's name (never the key). */
  key?: string;
  /** Called once when the request is done (its response sent): settles limits and budgets. */
  onFinished?: () => void;
  /** Set when the body outlives the handler (a streamed Response): settles when the body has been sent. */
  settled?: Promise<void>;
}

/**
 * The Hono environment of the gateway's app. Under @hono/node-server, `c.env` holds Node's request and response
 * (the SSE fast path writes to it); under `app.request()` or another runtime it is empty.
 */
export interface GatewayEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    outcome: RequestOutcome;
    trace?: RequestSpan;
    principal?: Principal;
    /**
     * The request's admission by limits and budgets, under way while its door validates and converts the body and
     * the library prepares the Bedrock request: the call sends nothing before it resolves, or, when `speculative`
     * (far below every limit), sends at once and answers nothing before it resolves; its rejection is the refusal
     * to answer. Passed on by the door's call slot.
     */
    admission?: { decided: Promise<unknown>; speculative: boolean };
    /** The body parsed once (src/gateway/json-body.ts). */
    jsonBody?: JsonBody;
  };
}
