/**
 * The OpenAI-compatible gateway: node:http, no framework. Routes, API-key auth, one access-log line and metrics
 * per request, and a shutdown that drains requests in flight before closing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BedrockLLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import type { LLMOptions } from "../llm/index.js";
import { type AccessLogger, stderrAccessLog } from "./access-log.js";
import { API_KEYS_ENV, ApiKeyCheck, configuredApiKeys, isLoopbackHost } from "./auth.js";
import { type ChatContext, handleChatCompletions, type RequestOutcome } from "./chat-completions.js";
import { sendError, sendJson } from "./http-io.js";
import { ConcurrencyLimiter } from "./limiter.js";
import { GatewayMetrics } from "./metrics.js";
import { ModelRouter } from "./model-router.js";
import { errors, toGatewayError } from "./openai-error.js";

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
  const router = new ModelRouter(config, options.llmOptions);
  const metrics = new GatewayMetrics();
  const log = options.accessLog === false ? undefined : (options.accessLog ?? stderrAccessLog);
  const ctx: ChatContext = {
    router,
    limiter: new ConcurrencyLimiter(config.server.max_concurrency, config.server.max_queue),
    maxBodyBytes: config.server.max_body_bytes,
    inProgress: new Set(),
  };
  let inFlight = 0;
  let draining = false;
  let onDrained: (() => void) | undefined;

  const route = async (req: IncomingMessage, res: ServerResponse, path: string, outcome: RequestOutcome) => {
    if (path === "/healthz") return sendJson(res, 200, { status: draining ? "draining" : "ok" });
    if (!keys.allows(req.headers.authorization)) throw errors.unauthorized();
    const method = req.method ?? "GET";
    if (path === "/v1/chat/completions") {
      if (method !== "POST") throw errors.methodNotAllowed(method, path);
      return handleChatCompletions(req, res, ctx, outcome);
    }
    if (path === "/v1/models") {
      if (method !== "GET") throw errors.methodNotAllowed(method, path);
      return sendJson(res, 200, { object: "list", data: router.listIds().map(modelObject) });
    }
    if (path.startsWith("/v1/models/")) {
      if (method !== "GET") throw errors.methodNotAllowed(method, path);
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      const found = router.listIds().find((m) => m.id === id);
      if (!found) throw errors.unknownModel(id);
      return sendJson(res, 200, modelObject(found));
    }
    if (path === "/metrics") {
      const retries = router.instances().reduce((sum, llm) => sum + retriesOf(llm), 0);
      const text = metrics.render({ inFlight, queued: ctx.limiter.queued, retries });
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      return void res.end(text);
    }
    throw errors.notFound(path);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    const outcome: RequestOutcome = {};
    inFlight++;
    try {
      if (draining) {
        res.setHeader("connection", "close");
        if (path !== "/healthz") throw errors.shuttingDown();
      }
      await route(req, res, path, outcome);
    } catch (error) {
      const failure = toGatewayError(error);
      outcome.errorKind = failure.kind;
      outcome.status = failure.status;
      if (!res.headersSent && !res.destroyed) sendError(res, failure);
      else if (!res.writableEnded) res.destroy();
    } finally {
      inFlight--;
      const status = outcome.status ?? res.statusCode;
      const latencyMs = performance.now() - started;
      metrics.recordRequest(status, latencyMs);
      if (outcome.errorKind) metrics.recordError(outcome.errorKind);
      if (outcome.usage || outcome.cost) metrics.recordUsage(outcome.usage, outcome.cost);
      log?.(logEntry(req.method ?? "GET", path, status, latencyMs, outcome));
      if (draining && inFlight === 0) onDrained?.();
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
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const drained = new Promise<void>((resolve) => {
          onDrained = resolve;
        });
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.drainTimeoutMs ?? 30_000);
        });
        await Promise.race([drained, timedOut]);
        clearTimeout(timer);
        for (const controller of ctx.inProgress) controller.abort();
      }
      server.closeAllConnections();
      await closed;
    })();
    return closing;
  };
  return { url: `http://${urlHost}:${address.port}`, host: address.address, port: address.port, close };
}

function modelObject(m: { id: string; owned_by: string }) {
  return { id: m.id, object: "model", created: 0, owned_by: m.owned_by };
}

function retriesOf(llm: { metrics: { retries: number } }): number {
  try {
    return llm.metrics.retries;
  } catch {
    return 0;
  }
}

function logEntry(method: string, path: string, status: number, latencyMs: number, o: RequestOutcome) {
  return {
    time: new Date().toISOString(),
    method,
    path,
    status,
    latency_ms: Math.round(latencyMs * 100) / 100,
    ...(o.model !== undefined && { model: o.model }),
    ...(o.stream !== undefined && { stream: o.stream }),
    ...(o.usage && {
      prompt_tokens: o.usage.prompt_tokens,
      completion_tokens: o.usage.completion_tokens,
      cached_tokens: o.usage.prompt_tokens_details?.cached_tokens ?? 0,
      cache_write_tokens: o.usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    }),
    ...(o.cost !== undefined && { cost: o.cost }),
    ...(o.finishReason && { finish_reason: o.finishReason }),
    ...(o.errorKind && { error: o.errorKind }),
  };
}
