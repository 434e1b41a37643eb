/**
 * Rules that involve more than one key: combinations that cannot work are refused when the file is loaded,
 * not at the first request. Messages name the setting and the fix and never contain a secret value.
 */
import { BedrockLLMError, ConfigError } from "../errors.js";
import { resolveModel } from "../models/resolve.js";
import type { ModelInfo } from "../models/types.js";
import { credentialSources, isLlmKey, type LlmKey } from "./keys.js";
import { ROUTING_DEFAULTS } from "./schema.js";
import type { LLMSettings } from "./types.js";

export interface SectionContext {
  /** Dotted section name for messages: "llm" or "llm.sso". */
  name: string;
  values: LLMSettings;
  /** An error located at `key` wherever its value came from (own section, [llm], environment). */
  blame(key: LlmKey, message: string): ConfigError;
}

function has(values: LLMSettings, key: LlmKey): boolean {
  return values[key] !== undefined;
}

function checkCredentials({ name, values, blame }: SectionContext): void {
  if (has(values, "aws_session_name") && !has(values, "aws_role_name")) {
    throw blame(
      "aws_session_name",
      `${name}.aws_session_name is set without aws_role_name: a session name only names an assumed-role session; add aws_role_name or remove aws_session_name`,
    );
  }
  if (has(values, "aws_secret_access_key") && !has(values, "aws_access_key_id")) {
    throw blame(
      "aws_secret_access_key",
      `${name}.aws_secret_access_key is set without aws_access_key_id: add the access key id that belongs to it`,
    );
  }
  if (has(values, "aws_access_key_id") && !has(values, "aws_secret_access_key")) {
    throw blame(
      "aws_access_key_id",
      `${name}.aws_access_key_id is set without aws_secret_access_key: add the secret key that belongs to it`,
    );
  }
  if (has(values, "aws_session_token") && !has(values, "aws_access_key_id")) {
    throw blame(
      "aws_session_token",
      `${name}.aws_session_token is set without aws_access_key_id and aws_secret_access_key: temporary credentials need all three`,
    );
  }
  if (has(values, "aws_web_identity_token") && !has(values, "aws_role_name")) {
    throw blame(
      "aws_web_identity_token",
      `${name}.aws_web_identity_token is set without aws_role_name: a web identity token is exchanged for the role's credentials; add aws_role_name`,
    );
  }
  const [first, second, ...others] = credentialSources(values);
  if (first !== undefined && second !== undefined) {
    const keys = [first, second, ...others].map((source) => source.key);
    throw blame(
      second.key,
      `${name} sets more than one credential source (${keys.join(", ")}): keep one, or move the others to their own [llm.NAME] sections`,
    );
  }
  if (has(values, "aws_bearer_token") && has(values, "aws_role_name")) {
    throw blame(
      "aws_role_name",
      `${name} sets aws_bearer_token and aws_role_name: a Bedrock API key cannot assume a role; remove one of them`,
    );
  }
}

function checkRetries({ name, values, blame }: SectionContext): void {
  const min = values.retry_min_wait;
  const max = values.retry_max_wait;
  if (min > max) {
    throw blame(
      "retry_min_wait",
      `${name}.retry_min_wait = ${min} is above retry_max_wait = ${max}: the first wait cannot exceed the longest wait; lower retry_min_wait or raise retry_max_wait`,
    );
  }
}

function checkCooldown({ name, values, blame }: SectionContext): void {
  const first = values.cooldown_seconds ?? ROUTING_DEFAULTS.cooldown_seconds;
  const longest = values.cooldown_max_seconds ?? ROUTING_DEFAULTS.cooldown_max_seconds;
  if (first > longest) {
    throw blame(
      "cooldown_seconds",
      `${name}.cooldown_seconds = ${first} is above cooldown_max_seconds = ${longest}: the first cooldown cannot exceed the longest; lower cooldown_seconds or raise cooldown_max_seconds`,
    );
  }
}

function checkThinking({ name, values, blame }: SectionContext, info: ModelInfo): void {
  const budget = values.thinking_budget_tokens;
  if (budget === undefined) return;
  if (info.thinking === "adaptive_only") {
    throw blame(
      "thinking_budget_tokens",
      `${name}.thinking_budget_tokens is set, but ${info.name} only accepts adaptive thinking (a budget is refused with a 400): remove thinking_budget_tokens and use reasoning_effort`,
    );
  }
  if (info.thinking === "none") {
    throw blame(
      "thinking_budget_tokens",
      `${name}.thinking_budget_tokens is set, but ${info.name} has no extended thinking: remove it, or set capabilities.thinking if the model does support it`,
    );
  }
  const temperature = values.temperature;
  if (temperature !== undefined && temperature !== 1) {
    throw blame(
      "temperature",
      `${name}.temperature = ${temperature} cannot be combined with thinking_budget_tokens: extended thinking only accepts temperature 1; remove temperature from this section (or from [llm] if inherited)`,
    );
  }
  const explicit = values.max_output_tokens;
  const limit = explicit ?? info.maxOutputTokens;
  if (budget >= limit) {
    const which = explicit === undefined ? `the model's ${limit} output tokens` : `max_output_tokens = ${limit}`;
    throw blame(
      "thinking_budget_tokens",
      `${name}.thinking_budget_tokens = ${budget} must be below ${which}: thinking tokens count toward the output; lower the budget or raise max_output_tokens`,
    );
  }
}

/** Resolves the model against region and target; resolution errors are re-thrown at the key they concern. */
function checkModel(context: SectionContext): ModelInfo {
  try {
    return resolveModel(context.values).info;
  } catch (error) {
    if (!(error instanceof BedrockLLMError)) throw error;
    const key = error instanceof ConfigError && error.key !== undefined && isLlmKey(error.key) ? error.key : "model";
    throw context.blame(key, `${context.name}: ${error.message}`);
  }
}

/** Every cross-key rule for one effective section. */
export function checkSection(context: SectionContext): void {
  checkCredentials(context);
  checkRetries(context);
  checkCooldown(context);
  const info = checkModel(context);
  checkThinking(context, info);
}
