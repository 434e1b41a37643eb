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
import { ConcurrencyLimiter } from "./limiter.js";
import { GatewayMetrics } from "./metrics.js";
import { ModelRouter } from "./model-router.js";
import type { StoredResponse } from "./responses/types.js";
import { type RequestSpan, RequestTracing } from "./tracing.js";

export interface GatewayContext {
  router: ModelRouter;
  limiter: ConcurrencyLimiter;
  keys: ApiKeyCheck;
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
  /** Where stored responses live (default: in process, bounded by [server] responses_max_bytes). */
  responseStore?: ResponseStore<StoredResponse>;
  /**
   * The OpenTelemetry tracer for the requests' spans, and the calls' unless llmOptions has its own. Default: the
   * global API's tracer, which records nothing until an SDK is registered (serve registers one when OTEL_* say so).
   */
  tracer?: Tracer;
}

/** Builds the shared state; throws ConfigError for a section whose model cannot be resolved. */
export function createGatewayContext(config: BedrockLLMConfig, options: GatewayContextOptions = {}): GatewayContext {
  const tracer = options.tracer ? { tracer: options.tracer } : {};
  const router = new ModelRouter(config, { onWarning: stderrWarning, ...tracer, ...options.llmOptions });
  const limiter = new ConcurrencyLimiter(config.server.max_concurrency, config.server.max_queue);
  const requests = new InFlightRequests();
  return {
    router,
    limiter,
    keys: new ApiKeyCheck(configuredApiKeys(config.server.api_keys, options.env ?? process.env)),
    maxBodyBytes: config.server.max_body_bytes,
    metrics: new GatewayMetrics({
      inFlight: () => requests.size,
      queued: () => limiter.queued,
      retries: () => router.instances().reduce((sum, llm) => sum + llm.metrics.retries, 0),
      routing: () => router.instances().map((llm) => llm.metrics.routing),
    }),
    requests,
    inProgress: new Set(),
    accessLog: options.accessLog === false ? undefined : (options.accessLog ?? stderrAccessLog),
    operatorLog: stderrOperatorError,
    responses: options.responseStore ?? new MemoryResponseStore({ maxBytes: config.server.responses_max_bytes }),
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
  /** The name of the API key the request came with (never the key), when keys have names. */
  keyName?: string;
  /** The configuration section that answered (after fallbacks or a pick among deployments). */
  servedBy?: string;
  /** Who ended a call cut short: the client (it left) or the server (shutdown). */
  endedBy?: "client" | "server";
  /** Set when the body outlives the handler (a streamed Response): settles when the body has been sent. */
  settled?: Promise<void>;
}

/**
 * The Hono environment of the gateway's app. Under @hono/node-server, `c.env` holds Node's request and response
 * (the SSE fast path writes to it); under `app.request()` or another runtime it is empty.
 */
export interface GatewayEnv {
  Bindings: Partial<HttpBindings>;
  Variables: { outcome: RequestOutcome; trace?: RequestSpan };
}
