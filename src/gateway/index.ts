/**
 * The OpenAI-compatible gateway: the Hono app of app.ts served on Node's HTTP server through @hono/node-server,
 * with keep-alive connections and a shutdown that drains requests in flight before closing.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { BedrockLLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { createGatewayApp } from "./app.js";
import { API_KEYS_ENV, isLoopbackHost } from "./auth.js";
import { createGatewayContext, type GatewayContextOptions } from "./context.js";
import { DrainTimedOut } from "./drain.js";

export type { AccessLogEntry, AccessLogger } from "./access-log.js";
export { createGatewayApp } from "./app.js";
export type { GatewayContext, GatewayContextOptions } from "./context.js";
export { createGatewayContext } from "./context.js";

export interface GatewayOptions extends GatewayContextOptions {
  /** Default: [server] host. */
  host?: string;
  /** Default: [server] port; 0 picks a free port. */
  port?: number;
  /** How long close() waits for requests in flight before cutting them off (default 30 s). */
  drainTimeoutMs?: number;
  /** Node's HTTP server timeouts (defaults: SERVER_TIMEOUTS); tests and the slow-client soak shorten them. */
  timeouts?: Partial<ServerTimeouts>;
}

/** Node's HTTP server timeouts, in milliseconds (docs/GATEWAY.md, docs/RELIABILITY.md). */
export interface ServerTimeouts {
  /** All of a request's headers must arrive within this (slowloris: headers trickled a byte at a time). */
  headersTimeout: number;
  /** The whole request, body included, must arrive within this; a streamed answer is not bounded by it. */
  requestTimeout: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeout: number;
  /** How often Node checks the two timeouts above (their granularity). */
  connectionsCheckingInterval: number;
}

export interface RunningGateway {
  url: string;
  host?: string;
  port?: number;
  /** Stops accepting, lets requests in flight finish (up to drainTimeoutMs), then closes every connection. */
  close(): Promise<void>;
}

/** How long the calls ended by a drain that ran out get to write their last event before the sockets close. */
const CUT_OFF_GRACE_MS = 1_000;

export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeout: 20_000,
  // Long enough to upload [server] max_body_bytes over a slow link; Node's default is 5 minutes.
  requestTimeout: 120_000,
  // Longer than the usual load balancer's idle timeout (60 s), so the balancer, not the gateway, closes idle ones.
  keepAliveTimeout: 65_000,
  connectionsCheckingInterval: 5_000,
};

export async function startGateway(config: BedrockLLMConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  const ctx = createGatewayContext(config, options);
  if (!ctx.gate.authRequired && !isLoopbackHost(host)) {
    throw new ConfigError(
      `refusing to listen on ${host} without API keys: anyone who can reach it could spend your AWS account. Set [server] api_keys or ${API_KEYS_ENV}, [server.keys.NAME] or an admin key, or bind to 127.0.0.1.`,
      { key: "server.api_keys", ...(config.path ? { file: config.path } : {}) },
    );
  }
  // The store opens before the port does: a file that cannot be opened fails the start, not the first request.
  if (ctx.gate.enabled) await ctx.gate.open();
  const app = createGatewayApp(ctx);
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  // Node refuses a headersTimeout longer than a (non-zero) requestTimeout.
  if (timeouts.requestTimeout > 0) timeouts.headersTimeout = Math.min(timeouts.headersTimeout, timeouts.requestTimeout);
  const server = createServer(timeouts, getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      void ctx.gate.close();
      reject(error);
    };
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // The listener stays open through the drain: /healthz on a new connection answers 503 "draining" (and
      // anything else the shutting-down error), each closing its connection; it closes once the drain ends.
      const draining = ctx.requests.drain(options.drainTimeoutMs ?? 30_000);
      server.closeIdleConnections();
      const drained = await draining;
      if (!drained) {
        // Streams still open get an in-band error event; the responses need a moment to leave before the sockets go.
        const reason = new DrainTimedOut();
        for (const controller of ctx.inProgress) controller.abort(reason);
        await ctx.requests.drain(CUT_OFF_GRACE_MS);
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await ctx.gate.close();
    })();
    return closing;
  };
  return { url: `http://${urlHost}:${address.port}`, host: address.address, port: address.port, close };
}
