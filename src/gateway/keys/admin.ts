/**
 * The admin API for virtual keys, under /admin, authenticated with the admin key ([server] admin_key_sha256 or
 * BEDROCK_LLM_ADMIN_KEY) alone:
 *
 *   POST   /admin/keys               create a key; the answer holds the key itself, the only time it is shown
 *   GET    /admin/keys               every key (those of the file and those created here), without their hashes
 *   DELETE /admin/keys/{name}        revoke a key created here (a key of the file is removed by editing the file)
 *   GET    /admin/keys/{name}/usage  its limits, its counts this minute, and its spend per budget period
 *
 * Without an admin key the paths answer 404, as any unknown path does.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { BUDGET_PERIOD_PATTERN } from "../../config/schema.js";
import type { KeyRecord } from "../../store/gateway-store.js";
import type { GatewayContext, GatewayEnv } from "../context.js";
import { errors, GatewayError } from "../openai-error.js";
import { bearerKey } from "./middleware.js";

const DAY_MS = 86_400_000;

const createSchema = z.strictObject({
  name: z.string().regex(/^[\w.-]{1,64}$/, "name must be 1 to 64 letters, digits, _ . -"),
  models: z.array(z.string().min(1)).optional(),
  rpm: z.number().int().min(1).optional(),
  tpm: z.number().int().min(1).optional(),
  budget_usd: z.number().min(0).optional(),
  budget_period: z
    .string()
    .regex(BUDGET_PERIOD_PATTERN, 'budget_period must be "day", "week", "month" or "<N>d"')
    .optional(),
  /** ISO date-time, or a number of days from now. */
  expires: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), "expires must be an ISO date-time")
    .optional(),
  expires_in_days: z.number().positive().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

export function mountAdmin(app: Hono<GatewayEnv>, ctx: GatewayContext): void {
  const gate = ctx.gate;
  if (!gate.adminEnabled) return;
  app.use("/admin/*", async (c, next) => {
    if (!gate.isAdmin(bearerKey(c.req.header("authorization")) ?? c.req.header("x-api-key"))) {
      throw adminUnauthorized();
    }
    await next();
  });
  app.post("/admin/keys", async (c) => {
    const fields = await parseCreate(c);
    const created = await gate.createKey(fields);
    if (!created) throw conflict(`A key named "${fields.name}" exists already.`);
    return c.json({ ...publicRecord(created.record), key: created.key }, 201);
  });
  app.get("/admin/keys", async (c) => c.json({ object: "list", data: (await gate.listKeys()).map(publicRecord) }));
  app.delete("/admin/keys/:name", async (c) => {
    const name = c.req.param("name");
    const result = await gate.revokeKey(name);
    if (result === "missing") throw keyNotFound(name);
    if (result === "config") {
      throw conflict(`The key "${name}" is declared in the configuration file: remove [server.keys.${name}] there.`);
    }
    return c.json({ name, revoked: true });
  });
  app.get("/admin/keys/:name/usage", async (c) => {
    const name = c.req.param("name");
    const usage = await gate.usage(name);
    if (!usage) throw keyNotFound(name);
    return c.json(usage);
  });
}

async function parseCreate(c: Context<GatewayEnv>): Promise<Omit<KeyRecord, "key_sha256" | "created_at" | "source">> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw errors.badJson();
  }
  const parsed = createSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw errors.badField(issue?.message ?? "invalid key", issue?.path.join(".") || null);
  }
  const { expires_in_days, expires, metadata, budget_period, ...rest } = parsed.data;
  const expiry =
    expires_in_days !== undefined ? new Date(Date.now() + expires_in_days * DAY_MS).toISOString() : expires;
  return {
    ...rest,
    budget_period: budget_period ?? "month",
    metadata: metadata ?? {},
    ...(expiry !== undefined && { expires: new Date(expiry).toISOString() }),
  };
}

/** A key's record as the admin API shows it: without its hash. */
function publicRecord(record: KeyRecord): Omit<KeyRecord, "key_sha256"> {
  const { key_sha256: _hash, ...rest } = record;
  return rest;
}

const adminUnauthorized = () =>
  new GatewayError({
    status: 401,
    message: "The admin API needs the admin key: send Authorization: Bearer <admin key>.",
    type: "authentication_error",
    code: "invalid_admin_key",
    kind: "unauthorized",
  });

const keyNotFound = (name: string) =>
  new GatewayError({
    status: 404,
    message: `No key named "${name}".`,
    type: "not_found_error",
    code: "key_not_found",
    kind: "key_not_found",
  });

const conflict = (message: string) =>
  new GatewayError({ status: 409, message, type: "invalid_request_error", code: "key_conflict", kind: "key_conflict" });
