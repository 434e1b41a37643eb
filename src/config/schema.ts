/**
 * The configuration contract, declared once. Each section ([llm], guardrail_config, capabilities, [server]) is one
 * zod object; each key carries its schema, its default, and its metadata: the words used in messages, whether it is
 * a secret, the credential method it chooses, the AWS_* variables that fill it. The TypeScript types (types.ts), the
 * key tables and lists (keys.ts), the environment overlay (env.ts), the checks and redaction are derived from here,
 * so a key or an allowed value is spelled nowhere else.
 */
import { z } from "zod";
import { REASONING_EFFORTS, SERVICE_TIERS } from "../chat/index.js";
import { CROSS_REGION_TARGETS } from "../models/geography.js";
import { type ModelCapabilityOverrides, THINKING_SUPPORT } from "../models/types.js";

/** The ways a section can say where its credentials come from; a section may choose one. */
export type CredentialMethod = "keys" | "profile" | "web-identity" | "bearer-token";

export interface SettingMeta {
  /** Completes "must be ...": what a valid value looks like, used verbatim in messages. */
  expects: string;
  /**
   * Completes "has the wrong type (...): must be ..." where `expects` would mislead (guardrailVersion = 1 is a
   * version number, but not a string). Numbers get "a number " before `expects` without being told.
   */
  wrongType?: string;
  /** Never shown in messages or output. */
  secret?: boolean;
  /** The credential method a section chooses by setting this key. */
  credential?: CredentialMethod;
  /** AWS_* variables that fill this key when a section leaves it unset, the first one set wins. */
  awsEnv?: readonly string[];
  /**
   * Describes the section itself, so [llm.NAME] does not inherit it from [llm] (a section [llm] falls back to
   * would otherwise fall back to itself).
   */
  own?: boolean;
}

/** Where each key's metadata lives: keyed by the key's schema (each key has its own schema instance). */
export const SETTINGS = z.registry<SettingMeta>();

/** Attaches `meta` to the schema of one key. */
function setting<S extends z.ZodType>(schema: S, meta: SettingMeta): S {
  if (SETTINGS.has(schema)) throw new Error("a schema instance is shared by two settings: build each one anew");
  SETTINGS.add(schema, meta);
  return schema;
}

/** 'one of "a", "b"': the words for an enum, from its values. */
function oneOf(values: readonly string[]): string {
  return `one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
}

/** An enum key: its values are the schema and the words. */
function choice<const T extends readonly string[]>(values: T, meta: Omit<SettingMeta, "expects"> = {}) {
  return setting(z.enum(values).optional(), { expects: oneOf(values), ...meta });
}

// Builders, not shared instances: every key registers its own schema.
const nonEmpty = () => z.string().regex(/\S/);
const wholeNumber = (min: number) => z.number().int().min(min);
const region = () => z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/);
const url = () => z.string().regex(/^https?:\/\/[^\s/]+/);
// STS RoleSessionName: 2-64 characters of [\w+=,.@-].
const sessionName = () => z.string().regex(/^[\w+=,.@-]{2,64}$/);
/** Bedrock's requestMetadata rules (botocore: RequestMetadata). */
export const REQUEST_METADATA_KEY = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{1,256}$/;
export const REQUEST_METADATA_VALUE = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{0,256}$/;
const requestMetadata = () =>
  z
    .record(z.string().regex(REQUEST_METADATA_KEY), z.string().regex(REQUEST_METADATA_VALUE))
    .refine((map) => Object.keys(map).length <= 16, "at most 16 entries");
const boolean = () => setting(z.boolean().optional(), { expects: "true or false" });
const price = () => setting(z.number().min(0).optional(), { expects: "a price in USD per token, a number >= 0" });
const tokens = (min: number) => setting(wholeNumber(min).optional(), { expects: `a whole number of tokens >= ${min}` });

export const CACHE_TTLS = ["5m", "1h"] as const;
export const LATENCY_MODES = ["standard", "optimized"] as const;
export const GUARDRAIL_TRACES = ["enabled", "disabled", "enabled_full"] as const;
export const GUARDRAIL_STREAM_PROCESSING_MODES = ["sync", "async"] as const;
export const ROUTING_STRATEGIES = ["least-in-flight", "weighted"] as const;

/** A list of section names: NAME of [llm.NAME], or "llm" for [llm]. */
const sectionNames = (expects: string) =>
  setting(
    z
      .array(z.string().regex(/^[A-Za-z0-9_-]+$/))
      .min(1)
      .refine((names) => new Set(names).size === names.length)
      .optional(),
    { expects, wrongType: expects, own: true },
  );
/** Seconds, fractions allowed. */
const seconds = (min: number, max: number) =>
  setting(z.number().gt(min).max(max).optional(), { expects: `above ${min} and at most ${max} (seconds)` });

/**
 * What the routing and connection keys mean when unset. Not schema defaults: the keys stay optional, so a section
 * built by hand (an LLMConfig literal) needs none of them and a loaded one shows only what was written.
 */
export const ROUTING_DEFAULTS = {
  routing_strategy: "least-in-flight",
  weight: 1,
  cooldown_seconds: 5,
  cooldown_max_seconds: 60,
  stream_recovery: false,
  ping_interval: 10,
  ping_timeout: 5,
} as const;

/** guardrail_config = { ... } */
export const GUARDRAIL_SECTION = z.strictObject({
  guardrailIdentifier: setting(nonEmpty(), { expects: "the guardrail id or ARN, a non-empty string" }),
  guardrailVersion: setting(z.string().regex(/^(DRAFT|\d+)$/), {
    expects: 'a version number such as "1", or "DRAFT"',
    wrongType: 'a quoted string such as "1" or "DRAFT"',
  }),
  trace: choice(GUARDRAIL_TRACES),
  /** ConverseStream only: how the guardrail scans streamed output. */
  streamProcessingMode: choice(GUARDRAIL_STREAM_PROCESSING_MODES),
  /** Throw GuardrailInterventionError instead of returning finish_reason "content_filter". */
  raise_on_intervention: boolean(),
});

/**
 * capabilities = { ... }: corrections for ids missing from the registry. The models module owns the type
 * (ModelCapabilityOverrides); `satisfies` holds this table to it key for key and type for type.
 */
export const CAPABILITIES_SECTION = z.strictObject({
  tools: boolean(),
  system_prompt: boolean(),
  images: boolean(),
  documents: boolean(),
  prompt_caching: boolean(),
  cache_min_tokens: tokens(1),
  streaming_tool_use: boolean(),
  structured_output: boolean(),
  thinking: choice(THINKING_SUPPORT),
  context_window: tokens(1),
  max_output_tokens: tokens(1),
} satisfies { [K in keyof ModelCapabilityOverrides]-?: z.ZodType<ModelCapabilityOverrides[K]> });

const secret = (expects: string, more: Omit<SettingMeta, "expects" | "secret"> = {}) =>
  setting(nonEmpty().optional(), { expects, secret: true, ...more });

/** [llm] and each [llm.NAME], in documentation order. */
export const LLM_SECTION = z.strictObject({
  /** Always normalised to "bedrock/<model id or ARN>". */
  model: setting(nonEmpty(), { expects: 'a Bedrock model, "bedrock/<model id, profile id or ARN>"' }),
  aws_access_key_id: setting(nonEmpty().optional(), {
    expects: "an access key id such as AKIA...",
    credential: "keys",
    awsEnv: ["AWS_ACCESS_KEY_ID"],
  }),
  aws_secret_access_key: secret("a non-empty string", { credential: "keys", awsEnv: ["AWS_SECRET_ACCESS_KEY"] }),
  aws_session_token: secret("a non-empty string", { credential: "keys", awsEnv: ["AWS_SESSION_TOKEN"] }),
  aws_region_name: setting(region().optional(), {
    expects: 'an AWS region name such as "us-east-1"',
    awsEnv: ["AWS_REGION", "AWS_DEFAULT_REGION"],
  }),
  aws_profile_name: setting(nonEmpty().optional(), {
    expects: "the name of a profile in ~/.aws/config",
    credential: "profile",
    awsEnv: ["AWS_PROFILE"],
  }),
  aws_role_name: setting(nonEmpty().optional(), {
    expects: 'a role ARN such as "arn:aws:iam::123456789012:role/bedrock"',
  }),
  aws_session_name: setting(sessionName().optional(), {
    expects: "2 to 64 characters of letters, digits and +=,.@_-",
  }),
  /** The token itself, or a path to a file holding it (re-read on refresh). */
  aws_web_identity_token: secret("the OIDC token, or a path to a file holding it", { credential: "web-identity" }),
  aws_bedrock_runtime_endpoint: setting(url().optional(), {
    expects: 'an http(s) URL such as "http://127.0.0.1:4010"',
    awsEnv: ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"],
  }),
  /** The Bedrock control plane (GetInferenceProfile, to resolve application inference profiles). */
  aws_bedrock_endpoint: setting(url().optional(), {
    expects: 'an http(s) URL such as "https://bedrock.us-east-1.amazonaws.com"',
    awsEnv: ["AWS_ENDPOINT_URL_BEDROCK"],
  }),
  aws_sts_endpoint: setting(url().optional(), {
    expects: 'an http(s) URL such as "https://sts.us-east-1.amazonaws.com"',
    awsEnv: ["AWS_ENDPOINT_URL_STS"],
  }),
  /** Bedrock API key (bearer token). */
  aws_bearer_token: secret("a Bedrock API key, a non-empty string", {
    credential: "bearer-token",
    awsEnv: ["AWS_BEARER_TOKEN_BEDROCK"],
  }),
  guardrail_config: setting(GUARDRAIL_SECTION.optional(), {
    expects: "a table with guardrailIdentifier and guardrailVersion",
  }),
  cross_region_target: choice(CROSS_REGION_TARGETS),
  temperature: setting(z.number().min(0).max(1).optional(), { expects: "between 0 and 1" }),
  top_p: setting(z.number().min(0).max(1).optional(), { expects: "between 0 and 1" }),
  max_output_tokens: tokens(1),
  caching_prompt: setting(z.boolean().default(false), { expects: "true or false" }),
  cache_ttl: setting(z.enum(CACHE_TTLS).default("1h"), { expects: oneOf(CACHE_TTLS) }),
  /** Retries after the first attempt. */
  num_retries: setting(z.number().int().min(0).max(20).default(5), { expects: "a whole number between 0 and 20" }),
  /** Seconds. */
  retry_min_wait: setting(z.number().min(0).max(3600).default(1), { expects: "between 0 and 3600 (seconds)" }),
  /** Seconds. */
  retry_max_wait: setting(z.number().min(0).max(3600).default(60), { expects: "between 0 and 3600 (seconds)" }),
  retry_multiplier: setting(z.number().min(1).max(10).default(2), { expects: "between 1 and 10" }),
  /** Seconds for one whole call, retries included. */
  timeout: setting(z.number().gt(0).max(86_400).default(600), { expects: "above 0 and at most 86400 (seconds)" }),
  reasoning_effort: choice(REASONING_EFFORTS),
  thinking_budget_tokens: tokens(1024),
  service_tier: choice(SERVICE_TIERS),
  latency: choice(LATENCY_MODES),
  /** USD per token; overrides the registry's price. */
  input_cost_per_token: price(),
  /** USD per token; overrides the registry's price. */
  output_cost_per_token: price(),
  /** USD per token; overrides the registry's price. */
  cache_read_cost_per_token: price(),
  /** USD per token; overrides the registry's price. */
  cache_write_cost_per_token: price(),
  /** Bedrock requestMetadata on every call (invocation logs, cost allocation); a request's metadata adds to it. */
  request_metadata: setting(requestMetadata().optional(), {
    expects:
      "a table of at most 16 string values; keys of 1-256 and values of 0-256 letters, digits, spaces and :_@$#=/+,-.",
  }),
  log_completions: setting(z.boolean().default(false), { expects: "true or false" }),
  log_completions_folder: setting(nonEmpty().default("logs/completions"), {
    expects: "a folder path, a non-empty string",
  }),
  /** For ARNs and ids missing from the registry: the registry id whose capabilities and prices apply. */
  base_model: setting(nonEmpty().optional(), { expects: "a model id from the registry (`bedrock-llm models`)" }),
  capabilities: setting(CAPABILITIES_SECTION.optional(), {
    expects: `a table of: ${Object.keys(CAPABILITIES_SECTION.shape).join(", ")}`,
  }),
  /** Sections tried in order when a call still fails after its retries with a failure another target may not have. */
  fallbacks: sectionNames('a list of distinct section names such as ["backup"] (NAME of [llm.NAME], or "llm")'),
  /** One logical model served by several sections; each call picks one (routing_strategy). */
  deployments: sectionNames('a list of distinct section names such as ["east", "west"] (NAME of [llm.NAME], or "llm")'),
  routing_strategy: choice(ROUTING_STRATEGIES),
  /** This section's share of calls among deployments under the weighted strategy (default 1). */
  weight: setting(z.number().gt(0).max(1_000_000).optional(), {
    expects: "above 0 and at most 1000000 (a share of calls)",
    own: true,
  }),
  /** A throttled deployment's first cooldown; doubled on each throttle in a row, at least the Retry-After. */
  cooldown_seconds: seconds(0, 3600),
  cooldown_max_seconds: seconds(0, 86_400),
  /** A stream that breaks after content continues on another deployment, the partial reply sent as a prefix. */
  stream_recovery: boolean(),
  /** A connection that received nothing for this long gets an HTTP/2 PING. */
  ping_interval: seconds(0, 3600),
  /** The PING's answer must arrive within this, or the connection is abandoned and its calls retried. */
  ping_timeout: seconds(0, 600),
});

export const BUDGET_PERIOD_PATTERN = /^(day|week|month|[1-9]\d{0,3}d)$/;
export const STORE_FAILURE_MODES = ["open", "closed"] as const;
const sha256Hex = () => z.string().regex(/^[0-9a-f]{64}$/);
const perMinute = (what: string) => setting(wholeNumber(1).optional(), { expects: `a whole number of ${what} >= 1` });

/** [server.keys.NAME]: a virtual key declared in the file, by its SHA-256 (never the key itself). */
export const VIRTUAL_KEY_SECTION = z.strictObject({
  key_sha256: setting(sha256Hex(), {
    expects: 'the key\'s SHA-256 as 64 lowercase hex digits (printf %s "$KEY" | sha256sum)',
  }),
  /** Model names (as requested), [llm.NAME] section names or model ids the key may use; absent: all. */
  models: setting(z.array(nonEmpty()).optional(), { expects: "a list of model names, section names or model ids" }),
  rpm: perMinute("requests per minute"),
  tpm: perMinute("tokens per minute"),
  /** USD per budget_period; absent: no budget. */
  budget_usd: setting(z.number().min(0).optional(), { expects: "an amount in USD, a number >= 0" }),
  budget_period: setting(z.string().regex(BUDGET_PERIOD_PATTERN).default("month"), {
    expects: 'one of "day", "week", "month", or a number of days such as "30d"',
  }),
  expires: setting(
    z
      .string()
      .refine((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)))
      .optional(),
    { expects: 'a date and time such as "2027-01-31T00:00:00Z"' },
  ),
  /** Free-form labels (team, owner), shown by the admin API. */
  metadata: setting(z.record(nonEmpty(), z.string()).default({}), { expects: 'a table of name = "text"' }),
});

/** [server.limits.NAME]: limits for one [llm.NAME] section ("llm" for [llm]) over every key. */
export const SECTION_LIMITS = z.strictObject({
  rpm: perMinute("requests per minute"),
  tpm: perMinute("tokens per minute"),
});

/** [server.store]: where keys, counters and spend live. */
export const STORE_SECTION = z.strictObject({
  /** redis:// or rediss:// (TLS): shared by replicas. Absent: the embedded SQLite file at `path`. */
  url: setting(
    z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/)
      .optional(),
    {
      expects: 'a Redis URL such as "redis://127.0.0.1:6379" or "rediss://host:6380/0"',
    },
  ),
  username: setting(nonEmpty().optional(), { expects: "a Redis ACL user name" }),
  /** Also BEDROCK_LLM_STORE_PASSWORD. */
  password: setting(nonEmpty().optional(), { expects: "the Redis password, a non-empty string", secret: true }),
  tls: setting(z.boolean().optional(), { expects: "true or false" }),
  tls_ca_file: setting(nonEmpty().optional(), { expects: "a path to a PEM file of CA certificates" }),
  /** Prefix of every Redis key, so that several gateways can share one Redis. */
  key_prefix: setting(nonEmpty().default("bedrock-llm:"), { expects: "a non-empty string" }),
  /** The embedded store's SQLite file. */
  path: setting(nonEmpty().default("bedrock-llm-gateway.sqlite"), { expects: "a file path, a non-empty string" }),
  /** When the store cannot be reached: serve without limits and budgets ("open") or refuse with 503 ("closed"). */
  on_store_failure: setting(z.enum(STORE_FAILURE_MODES).default("open"), { expects: oneOf(STORE_FAILURE_MODES) }),
  /**
   * A request far below every limit (at most half of each, as the store last answered) goes to Bedrock while the
   * store decides its admission, answered only once admitted; false: nothing is sent before admission.
   */
  early_send: setting(z.boolean().default(true), { expects: "true or false" }),
});

/** [server]: the OpenAI-compatible gateway. */
export const SERVER_SECTION = z.strictObject({
  host: setting(nonEmpty().default("127.0.0.1"), { expects: 'a host name or address such as "127.0.0.1"' }),
  port: setting(z.number().int().min(0).max(65_535).default(8080), {
    expects: "a port number between 0 and 65535",
  }),
  /** Keys a client must present as "Authorization: Bearer <key>". Secrets. */
  api_keys: setting(z.array(nonEmpty()).default([]), { expects: "a list of non-empty strings", secret: true }),
  /** Largest accepted request body, bytes. */
  max_body_bytes: setting(wholeNumber(1024).default(1_048_576), { expects: "a whole number of bytes >= 1024" }),
  /** Requests served at once; more wait in a queue of max_queue, then get 429. */
  max_concurrency: setting(z.number().int().min(1).max(100_000).default(64), {
    expects: "a whole number between 1 and 100000",
  }),
  max_queue: setting(z.number().int().min(0).max(1_000_000).default(256), {
    expects: "a whole number between 0 and 1000000",
  }),
  /** How long a stored response (Responses API, store: true) is kept, seconds; OpenAI keeps them 30 days. */
  responses_ttl: setting(z.number().int().min(1).max(31_536_000).default(2_592_000), {
    expects: "a whole number of seconds between 1 and 31536000 (365 days)",
  }),
  /** Bound on the memory the in-process store of responses takes, bytes; the oldest go first. 0 stores none. */
  responses_max_bytes: setting(wholeNumber(0).default(67_108_864), { expects: "a whole number of bytes >= 0" }),
  /** SHA-256 of the key that may use the admin API (/admin/keys); also BEDROCK_LLM_ADMIN_KEY (the key itself). */
  admin_key_sha256: setting(sha256Hex().optional(), {
    expects: "the admin key's SHA-256 as 64 lowercase hex digits",
  }),
  /** [server.keys.NAME]: virtual keys declared in the file. */
  keys: setting(z.record(z.string().regex(/^[\w.-]{1,64}$/), VIRTUAL_KEY_SECTION).default({}), {
    expects: "a table of [server.keys.NAME] tables, NAME of letters, digits, _ . -",
  }),
  /** [server.limits.NAME]: rpm and tpm per [llm.NAME] section, over every key. */
  limits: setting(z.record(nonEmpty(), SECTION_LIMITS).default({}), {
    expects: "a table of [server.limits.NAME] tables with rpm and tpm",
  }),
  store: setting(STORE_SECTION.default(STORE_SECTION.parse({})), { expects: "a [server.store] table" }),
  /**
   * [server.model_aliases]: model names a client may send (on any front door), each pinned to an [llm.NAME]
   * section name or a Bedrock model id, e.g. "claude-sonnet-4-5" = "sonnet" or "claude-haiku-4-5" = "bedrock/...".
   */
  model_aliases: setting(z.record(nonEmpty(), nonEmpty()).default({}), {
    expects: 'a table of model name = "<[llm.NAME] section name or Bedrock model id>"',
  }),
});
