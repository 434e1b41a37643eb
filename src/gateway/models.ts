/** GET /v1/models and GET /v1/models/{id}: the names a request's `model` may take (OpenAI's list format). */
import type { Hono } from "hono";
import type { GatewayContext, GatewayEnv } from "./context.js";
import { errors } from "./openai-error.js";

export const MODELS_PATH = "/v1/models";
/** Everything after the prefix is the id (ids may hold "/" and ":"); Hono decodes it. */
export const MODEL_PATH = "/v1/models/:id{.+}";

export function mountModels(app: Hono<GatewayEnv>, ctx: GatewayContext): void {
  app.get(MODELS_PATH, (c) => c.json({ object: "list", data: ctx.router.listIds().map(modelObject) }));
  app.get(MODEL_PATH, (c) => {
    const id = c.req.param("id");
    const found = ctx.router.listIds().find((m) => m.id === id);
    if (!found) throw errors.unknownModel(id);
    return c.json(modelObject(found));
  });
}

function modelObject(m: { id: string; owned_by: string }) {
  return { id: m.id, object: "model", created: 0, owned_by: m.owned_by };
}
