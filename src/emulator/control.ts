/**
 * The control API under /_emulator/ (plain JSON, no auth): fault injection, scripted replies, paced streams,
 * guardrails, invalid tokens, API keys, the request log, reset. Bodies are validated; mistakes get a 400 naming the field.
 */
import { z } from "zod";
import { BEDROCK_ERRORS } from "./bedrock-errors.js";
import { RESOURCE_ROUTES, ResourceError } from "./control-resources.js";
import { type Exchange, sendJson } from "./exchange.js";
import { CREDENTIAL_FAULT_OPERATIONS, RUNTIME_FAULT_OPERATIONS } from "./faults.js";
import { Quota } from "./quotas.js";
import type { EmulatorState } from "./state.js";
import type { FaultRule, GuardrailDefinition, PaceRule, QuotaRule, ScriptedResponse } from "./types.js";

export const CONTROL_PREFIX = "/_emulator/";

const OPERATIONS = [...RUNTIME_FAULT_OPERATIONS, ...CREDENTIAL_FAULT_OPERATIONS, "*"] as const;

/** Which calls a fault or quota is about (all optional): the region of the SigV4 scope, the access key, the model. */
const scopeFields = {
  region: z.string().min(1).optional(),
  accessKeyId: z.string().min(1).optional(),
  modelId: z.string().min(1).optional(),
};

const faultSchema = z
  .strictObject({
    operation: z.enum(OPERATIONS).default("*"),
    error: z
      .string()
      .refine((name) => name in BEDROCK_ERRORS, {
        message: `must be one of ${Object.keys(BEDROCK_ERRORS).join(", ")}`,
      })
      .optional(),
    connection: z.enum(["reset", "silent"]).optional(),
    count: z.int().min(1).default(1),
    probability: z.number().gt(0).max(1).optional(),
    afterEvents: z.int().min(0).optional(),
    delayMs: z.int().min(0).max(600_000).optional(),
    message: z.string().min(1).optional(),
    retryAfterSeconds: z.int().min(0).optional(),
    ...scopeFields,
  })
  .refine((rule) => rule.error !== undefined || rule.delayMs !== undefined || rule.connection !== undefined, {
    message: "a fault needs an error, a delayMs, or both (or a connection fault instead of the error)",
  })
  .refine((rule) => rule.error === undefined || rule.connection === undefined, {
    message: "a fault is an error or a connection fault, not both",
  });

const quotaSchema = z.strictObject({
  operation: z.enum([...RUNTIME_FAULT_OPERATIONS, "*"]).default("*"),
  callsPerSecond: z.int().min(0).max(1_000_000),
  retryAfterSeconds: z.int().min(0).optional(),
  ...scopeFields,
});

const paceSchema = z.strictObject({
  eventsPerSecond: z.number().positive().max(10_000),
  events: z.int().min(1).max(1_000_000).optional(),
});

const scriptedSchema = z.strictObject({
  text: z.string().optional(),
  toolCalls: z
    .array(z.strictObject({ name: z.string().min(1), input: z.unknown().optional(), id: z.string().min(1).optional() }))
    .optional(),
  reasoning: z.string().optional(),
  redactedReasoning: z.boolean().optional(),
  stopReason: z.string().min(1).optional(),
  usage: z.strictObject({ inputTokens: z.int().min(0).optional(), outputTokens: z.int().min(0).optional() }).optional(),
  modelId: z.string().min(1).optional(),
  pace: paceSchema.optional(),
});

const paceRuleSchema = z.strictObject({
  eventsPerSecond: z.number().positive().max(10_000),
  events: z.int().min(1).max(1_000_000),
  operation: z.enum(["ConverseStream", "InvokeModelWithResponseStream", "*"]).default("*"),
  count: z.int().min(1).optional(),
});

const guardrailSchema = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1).default("DRAFT"),
  blockedWords: z.array(z.string().min(1)),
  blockedMessage: z.string().optional(),
  blockedInputMessage: z.string().optional(),
  blockedOutputMessage: z.string().optional(),
});

const tokenSchema = z.strictObject({ token: z.string().min(1) });
const apiKeySchema = z.strictObject({ key: z.string().startsWith("ABSK", "Bedrock API keys start with ABSK") });

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseBody<T>(ex: Exchange, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(ex.body.toString("utf8") || "null");
  } catch {
    throw new ControlError(400, "request body is not valid JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new ControlError(400, z.prettifyError(result.error));
  return result.data;
}

type Handler = (ex: Exchange, state: EmulatorState) => unknown;

const ROUTES: Record<string, Handler> = {
  "GET health": () => ({ ok: true }),
  "POST faults": (ex, state) => {
    const rule = parseBody(ex, faultSchema) as FaultRule;
    state.faults.push(rule);
    return { ok: true, faults: state.faults.length };
  },
  "GET faults": (_ex, state) => ({ faults: state.faults }),
  "DELETE faults": (_ex, state) => {
    state.faults = [];
    return { ok: true };
  },
  "POST quotas": (ex, state) => {
    // One quota or an array of them.
    const isArray = ex.body.toString("utf8").trimStart().startsWith("[");
    const rules = (isArray ? parseBody(ex, z.array(quotaSchema)) : [parseBody(ex, quotaSchema)]) as QuotaRule[];
    state.quotas.push(...rules.map((rule) => new Quota(rule)));
    return { ok: true, quotas: state.quotas.length };
  },
  "GET quotas": (_ex, state) => ({ quotas: state.quotas.map((quota) => quota.toJSON()) }),
  "DELETE quotas": (_ex, state) => {
    state.quotas = [];
    return { ok: true };
  },
  "POST responses": (ex, state) => {
    // One reply or an array of them; parsed separately so errors name the field, not "invalid union".
    const isArray = ex.body.toString("utf8").trimStart().startsWith("[");
    const replies = (
      isArray ? parseBody(ex, z.array(scriptedSchema)) : [parseBody(ex, scriptedSchema)]
    ) as ScriptedResponse[];
    state.scripted.push(...replies);
    return { ok: true, queued: state.scripted.length };
  },
  "POST pace": (ex, state) => {
    state.pace = parseBody(ex, paceRuleSchema) as PaceRule;
    return { ok: true, pace: state.pace };
  },
  "GET pace": (_ex, state) => ({ pace: state.pace ?? null }),
  "DELETE pace": (_ex, state) => {
    state.pace = undefined;
    return { ok: true };
  },
  "POST guardrails": (ex, state) => {
    const guardrail = parseBody(ex, guardrailSchema) as GuardrailDefinition;
    state.guardrails.set(`${guardrail.id}:${guardrail.version}`, guardrail);
    return { ok: true, id: guardrail.id, version: guardrail.version };
  },
  "POST web-identity/invalid": (ex, state) => {
    state.invalidWebIdentityTokens.add(parseBody(ex, tokenSchema).token);
    return { ok: true };
  },
  "POST sso/invalid": (ex, state) => {
    state.invalidSsoTokens.add(parseBody(ex, tokenSchema).token);
    return { ok: true };
  },
  "POST api-keys": (ex, state) => {
    state.apiKeys.add(parseBody(ex, apiKeySchema).key);
    return { ok: true };
  },
  "GET requests": (ex, state) => {
    const operation = ex.query.get("operation");
    return { requests: operation ? state.requests.filter((r) => r.operation === operation) : state.requests };
  },
  "POST reset": (_ex, state) => {
    state.reset();
    return { ok: true };
  },
};

for (const [key, route] of Object.entries(RESOURCE_ROUTES)) {
  ROUTES[key] = (ex, state) => route.handle(parseBody(ex, route.schema), state);
}

export function handleControl(ex: Exchange, state: EmulatorState): void {
  const name = ex.rawPath.slice(CONTROL_PREFIX.length).replace(/\/$/, "");
  const handler = ROUTES[`${ex.method} ${name}`];
  if (!handler) {
    sendJson(ex.res, 404, { error: `no control endpoint ${ex.method} ${ex.rawPath}` });
    return;
  }
  try {
    sendJson(ex.res, 200, handler(ex, state));
  } catch (error) {
    if (!(error instanceof ControlError) && !(error instanceof ResourceError)) throw error;
    sendJson(ex.res, error.status, { error: error.message });
  }
}
