/**
 * The OpenAI-compatible gateway: node:http, no framework. Routes, API-key auth, one access-log line and metrics
 * per request, and a shutdown that drains requests in flight before closing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BedrockLLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import type { LLMOptions } from "../llm/index.js";
import {
  type AccessLogger,
  accessLogEntry,
  stderrAccessLog,
  stderrOperatorError,
  stderrWarning,
} from "./access-log.js";
import { API_KEYS_ENV, ApiKeyCheck, configuredApiKeys, isLoopbackHost } from "./auth.js";
import type { RequestOutcome } from "./chat-completions.js";
import { InFlightRequests } from "./drain.js";
import { sendError } from "./http-io.js";
import { ConcurrencyLimiter } from "./limiter.js";
import { GatewayMetrics } from "./metrics.js";
import { ModelRouter } from "./model-router.js";
import { errors, toGatewayError } from "./openai-error.js";
import { createRoutes, type RouteContext } from "./routes.js";

export type { AccessLogEntry, AccessLogger } from "./access-log.js";

export interface GatewayOptions {
  /** Default: [server] host. */
  host?: string;
  /** Default: [server] port; 0 picks a free port. */
  port?: number;
  /** Where access-log lines go (default: one JSON line on stderr); false turns the log off. */
  accessLog?: AccessLogger | false;
  /** How long close() waits for requests in flight before cutting them off (default 30 s). */
  drainTimeoutMs?: number;
  /** Environment read for BEDROCK_LLM_API_KEYS (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Passed to every LLM instance. */
  llmOptions?: LLMOptions;
}

export interface RunningGateway {
  url: string;
  host?: string;
  port?: number;
  /** Stops accepting, lets requests in flight finish (up to drainTimeoutMs), then closes every connection. */
  close(): Promise<void>;
}

export async function startGateway(config: BedrockLLMConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  const keys = new ApiKeyCheck(configuredApiKeys(config.server.api_keys, options.env ?? process.env));
  if (!keys.enabled && !isLoopbackHost(host)) {
    throw new ConfigError(
      `refusing to listen on ${host} without API keys: anyone who can reach it could spend your AWS account. Set [server] api_keys or ${API_KEYS_ENV}, or bind to 127.0.0.1.`,
      { key: "server.api_keys", ...(config.path ? { file: config.path } : {}) },
    );
  }
  const ctx: RouteContext = {
    keys,
    // Library warnings (legacy model, dropped setting) as JSON lines too, so stderr stays machine-readable.
    router: new ModelRouter(config, { onWarning: stderrWarning, ...options.llmOptions }),
    limiter: new ConcurrencyLimiter(config.server.max_concurrency, config.server.max_queue),
    maxBodyBytes: config.server.max_body_bytes,
    inProgress: new Set(),
    metrics: new GatewayMetrics(),
    requests: new InFlightRequests(),
  };
  const route = createRoutes(ctx);
  const log = options.accessLog === false ? undefined : (options.accessLog ?? stderrAccessLog);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    const outcome: RequestOutcome = {};
    ctx.requests.start();
    try {
      if (ctx.requests.draining) {
        res.setHeader("connection", "close");
        if (path !== "/healthz") throw errors.shuttingDown();
      }
      await route(req, res, path, outcome);
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.operatorDetail) stderrOperatorError(failure.operatorDetail);
      outcome.errorKind = failure.kind;
      outcome.status = failure.status;
      if (!res.headersSent && !res.destroyed) sendError(res, failure);
      else if (!res.writableEnded) res.destroy();
    } finally {
      const status = outcome.status ?? res.statusCode;
      const latencyMs = performance.now() - started;
      ctx.metrics.recordRequest(status, latencyMs);
      if (outcome.errorKind) ctx.metrics.recordError(outcome.errorKind);
      if (outcome.usage || outcome.cost) ctx.metrics.recordUsage(outcome.usage, outcome.cost);
      log?.(accessLogEntry(req.method ?? "GET", path, status, latencyMs, outcome));
      ctx.requests.finish();
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await ctx.requests.drain(options.drainTimeoutMs ?? 30_000);
      if (!drained) for (const controller of ctx.inProgress) controller.abort();
      server.closeAllConnections();
      await closed;
    })();
    return closing;
  };
  return { url: `http://${urlHost}:${address.port}`, host: address.address, port: address.port, close };
}
