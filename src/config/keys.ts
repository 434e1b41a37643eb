/**
 * Every key of [llm] and [server]: its schema (compiled once, here), what a valid value looks like in words
 * (used verbatim in error messages), whether it is a secret, and its default.
 */
import { z } from "zod";
import { CROSS_REGION_TARGETS } from "../models/geography.js";

export type ValueKind = "string" | "number" | "integer" | "boolean" | "table" | "string-array";

export interface KeySpec {
  schema: z.ZodType;
  kind: ValueKind;
  /** Completes "must be ...": what a valid value looks like. */
  expects: string;
  /** Value never shown in messages or output. */
  secret?: boolean;
}

const text = z.string().trim().min(1);
const range = (min: number, max: number) => z.number().min(min).max(max);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

function spec(schema: z.ZodType, kind: ValueKind, expects: string, secret = false): KeySpec {
  return { schema, kind, expects, secret };
}

const REGION = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/);
const URL_TEXT = z.string().regex(/^https?:\/\/[^\s/]+/);
// STS RoleSessionName: 2-64 characters of [\w+=,.@-].
const SESSION_NAME = z.string().regex(/^[\w+=,.@-]{2,64}$/);

const THINKING_VALUES = ["none", "manual", "adaptive", "adaptive_only"] as const;

export const GUARDRAIL_KEYS = [
  "guardrailIdentifier",
  "guardrailVersion",
  "trace",
  "streamProcessingMode",
  "raise_on_intervention",
] as const;

export const GUARDRAIL_SCHEMA = z.strictObject({
  guardrailIdentifier: text,
  guardrailVersion: z.string().regex(/^(DRAFT|\d+)$/),
  trace: oneOf(["enabled", "disabled", "enabled_full"]).optional(),
  streamProcessingMode: oneOf(["sync", "async"]).optional(),
  raise_on_intervention: z.boolean().optional(),
});

/** Words for each guardrail_config field, for messages. */
export const GUARDRAIL_EXPECTS: Record<string, string> = {
  guardrailIdentifier: "the guardrail id or ARN, a non-empty string",
  guardrailVersion: 'a version number such as "1", or "DRAFT"',
  trace: 'one of "enabled", "disabled", "enabled_full"',
  streamProcessingMode: 'one of "sync", "async"',
  raise_on_intervention: "true or false",
};

export const CAPABILITY_KEYS = [
  "tools",
  "system_prompt",
  "images",
  "documents",
  "prompt_caching",
  "cache_min_tokens",
  "streaming_tool_use",
  "structured_output",
  "thinking",
  "context_window",
  "max_output_tokens",
] as const;

export const CAPABILITIES_SCHEMA = z.strictObject({
  tools: z.boolean().optional(),
  system_prompt: z.boolean().optional(),
  images: z.boolean().optional(),
  documents: z.boolean().optional(),
  prompt_caching: z.boolean().optional(),
  cache_min_tokens: z.number().int().min(1).optional(),
  streaming_tool_use: z.boolean().optional(),
  structured_output: z.boolean().optional(),
  thinking: oneOf(THINKING_VALUES).optional(),
  context_window: z.number().int().min(1).optional(),
  max_output_tokens: z.number().int().min(1).optional(),
});

export const CAPABILITY_EXPECTS: Record<string, string> = {
  tools: "true or false",
  system_prompt: "true or false",
  images: "true or false",
  documents: "true or false",
  prompt_caching: "true or false",
  cache_min_tokens: "a whole number of tokens >= 1",
  streaming_tool_use: "true or false",
  structured_output: "true or false",
  thinking: 'one of "none", "manual", "adaptive", "adaptive_only"',
  context_window: "a whole number of tokens >= 1",
  max_output_tokens: "a whole number of tokens >= 1",
};

const cost = spec(z.number().min(0), "number", "a price in USD per token, >= 0");

/** The [llm] keys, in documentation order. */
export const LLM_KEYS: Record<string, KeySpec> = {
  model: spec(text, "string", 'a Bedrock model, "bedrock/<model id, profile id or ARN>"'),
  aws_access_key_id: spec(text, "string", "an access key id such as AKIA..."),
  aws_secret_access_key: spec(text, "string", "a non-empty string", true),
  aws_session_token: spec(text, "string", "a non-empty string", true),
  aws_region_name: spec(REGION, "string", 'an AWS region name such as "us-east-1"'),
  aws_profile_name: spec(text, "string", "the name of a profile in ~/.aws/config"),
  aws_role_name: spec(text, "string", 'a role ARN such as "arn:aws:iam::123456789012:role/bedrock"'),
  aws_session_name: spec(SESSION_NAME, "string", "2 to 64 characters of letters, digits and +=,.@_-"),
  aws_web_identity_token: spec(text, "string", "the OIDC token, or a path to a file holding it", true),
  aws_bedrock_runtime_endpoint: spec(URL_TEXT, "string", 'an http(s) URL such as "http://127.0.0.1:4010"'),
  aws_sts_endpoint: spec(URL_TEXT, "string", 'an http(s) URL such as "https://sts.us-east-1.amazonaws.com"'),
  aws_bearer_token: spec(text, "string", "a Bedrock API key, a non-empty string", true),
  guardrail_config: spec(GUARDRAIL_SCHEMA, "table", "a table with guardrailIdentifier and guardrailVersion"),
  cross_region_target: spec(oneOf(CROSS_REGION_TARGETS), "string", 'one of "us", "eu", "apac", "us-gov", "global"'),
  temperature: spec(range(0, 1), "number", "between 0 and 1"),
  top_p: spec(range(0, 1), "number", "between 0 and 1"),
  max_output_tokens: spec(z.number().int().min(1), "integer", "a whole number of tokens >= 1"),
  caching_prompt: spec(z.boolean(), "boolean", "true or false"),
  cache_ttl: spec(oneOf(["5m", "1h"]), "string", 'one of "5m", "1h"'),
  num_retries: spec(z.number().int().min(0).max(20), "integer", "a whole number between 0 and 20"),
  retry_min_wait: spec(z.number().min(0).max(3600), "number", "seconds, between 0 and 3600"),
  retry_max_wait: spec(z.number().min(0).max(3600), "number", "seconds, between 0 and 3600"),
  retry_multiplier: spec(z.number().min(1).max(10), "number", "between 1 and 10"),
  timeout: spec(z.number().gt(0).max(86_400), "number", "seconds, above 0 and at most 86400"),
  reasoning_effort: spec(
    oneOf(["low", "medium", "high", "xhigh", "max"]),
    "string",
    'one of "low", "medium", "high", "xhigh", "max"',
  ),
  thinking_budget_tokens: spec(z.number().int().min(1024), "integer", "a whole number of tokens >= 1024"),
  service_tier: spec(oneOf(["default", "flex", "priority"]), "string", 'one of "default", "flex", "priority"'),
  latency: spec(oneOf(["standard", "optimized"]), "string", 'one of "standard", "optimized"'),
  input_cost_per_token: cost,
  output_cost_per_token: cost,
  cache_read_cost_per_token: cost,
  cache_write_cost_per_token: cost,
  log_completions: spec(z.boolean(), "boolean", "true or false"),
  log_completions_folder: spec(text, "string", "a folder path, a non-empty string"),
  base_model: spec(text, "string", "a model id from the registry (`bedrock-llm models`)"),
  capabilities: spec(CAPABILITIES_SCHEMA, "table", `a table of: ${CAPABILITY_KEYS.join(", ")}`),
};

export const LLM_DEFAULTS = {
  caching_prompt: false,
  cache_ttl: "1h",
  num_retries: 5,
  retry_min_wait: 1,
  retry_max_wait: 60,
  retry_multiplier: 2,
  timeout: 600,
  log_completions: false,
  log_completions_folder: "logs/completions",
} as const;

export const SERVER_KEYS: Record<string, KeySpec> = {
  host: spec(text, "string", 'a host name or address such as "127.0.0.1"'),
  port: spec(z.number().int().min(0).max(65_535), "integer", "a port number between 0 and 65535"),
  api_keys: spec(z.array(text), "string-array", "a list of non-empty strings", true),
  max_body_bytes: spec(z.number().int().min(1024), "integer", "a whole number of bytes >= 1024"),
  max_concurrency: spec(z.number().int().min(1).max(100_000), "integer", "a whole number between 1 and 100000"),
  max_queue: spec(z.number().int().min(0).max(1_000_000), "integer", "a whole number between 0 and 1000000"),
};

export const SERVER_DEFAULTS = {
  host: "127.0.0.1",
  port: 8080,
  api_keys: [] as string[],
  max_body_bytes: 1_048_576,
  max_concurrency: 64,
  max_queue: 256,
};

/** Keys that choose where credentials come from; a section that sets one inherits none of them from [llm]. */
export const CREDENTIAL_SOURCE_KEYS = [
  "aws_access_key_id",
  "aws_secret_access_key",
  "aws_session_token",
  "aws_profile_name",
  "aws_web_identity_token",
  "aws_bearer_token",
] as const;

/** Keys whose values are secrets, in [llm] and [server]: never printed, logged or put in a message. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  [...Object.entries(LLM_KEYS), ...Object.entries(SERVER_KEYS)].filter(([, spec]) => spec.secret).map(([key]) => key),
);
