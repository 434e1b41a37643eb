/** Which handler answers a path: health, chat completions, models, metrics. Auth guards all but /healthz. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiKeyCheck } from "./auth.js";
import { type ChatContext, handleChatCompletions, type RequestOutcome } from "./chat-completions.js";
import type { InFlightRequests } from "./drain.js";
import { sendJson } from "./http-io.js";
import type { GatewayMetrics } from "./metrics.js";
import { errors } from "./openai-error.js";

export interface RouteContext extends ChatContext {
  keys: ApiKeyCheck;
  metrics: GatewayMetrics;
  requests: InFlightRequests;
}

export type Route = (req: IncomingMessage, res: ServerResponse, path: string, outcome: RequestOutcome) => Promise<void>;

const MODELS_PREFIX = "/v1/models/";

export function createRoutes(ctx: RouteContext): Route {
  const { keys, metrics, requests, router, limiter } = ctx;
  return async (req, res, path, outcome) => {
    if (path === "/healthz") return sendJson(res, 200, { status: requests.draining ? "draining" : "ok" });
    if (!keys.allows(req.headers.authorization)) throw errors.unauthorized();
    const method = req.method ?? "GET";
    const expect = (allowed: string) => {
      if (method !== allowed) throw errors.methodNotAllowed(method, path);
    };
    if (path === "/v1/chat/completions") {
      expect("POST");
      return handleChatCompletions(req, res, ctx, outcome);
    }
    if (path === "/v1/models") {
      expect("GET");
      return sendJson(res, 200, { object: "list", data: router.listIds().map(modelObject) });
    }
    if (path.startsWith(MODELS_PREFIX)) {
      expect("GET");
      const id = safeDecode(path.slice(MODELS_PREFIX.length));
      const found = router.listIds().find((m) => m.id === id);
      if (!found) throw errors.unknownModel(id);
      return sendJson(res, 200, modelObject(found));
    }
    if (path === "/metrics") {
      expect("GET");
      const retries = router.instances().reduce((sum, llm) => sum + llm.metrics.retries, 0);
      const text = metrics.render({ inFlight: requests.size, queued: limiter.queued, retries });
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      res.end(text);
      return;
    }
    throw errors.notFound(path);
  };
}

function modelObject(m: { id: string; owned_by: string }) {
  return { id: m.id, object: "model", created: 0, owned_by: m.owned_by };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
