/**
 * A request's body parsed as JSON once: the limits' admission (which needs its `model`) and the front door (which
 * validates all of it) share one parse, the costliest step of either on an agent's prompt of a hundred kilobytes.
 */
import type { Context } from "hono";
import type { GatewayEnv } from "./context.js";

/** The parsed body, or `ok: false` when it is not JSON (each door answers that in its own API's words). */
export type JsonBody = { ok: true; value: unknown } | { ok: false };

export async function jsonBody(c: Context<GatewayEnv>): Promise<JsonBody> {
  let parsed = c.get("jsonBody");
  if (parsed === undefined) {
    const raw = await c.req.text();
    try {
      parsed = { ok: true, value: JSON.parse(raw) };
    } catch {
      parsed = { ok: false };
    }
    c.set("jsonBody", parsed);
  }
  return parsed;
}
