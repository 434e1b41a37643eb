/**
 * The validated configuration, as the rest of the library sees it. Keys keep the TOML spelling (snake_case)
 * so that documentation, files, environment variables and code all use one name per setting.
 * This file is a contract shared by auth, llm, cli and gateway: extend it, do not rename.
 */

export type CrossRegionTarget = "us" | "eu" | "apac" | "us-gov" | "global";
export type CacheTtl = "5m" | "1h";
export type ReasoningEffort = "low" | "medium" | "high" | "xhigh" | "max";
export type ServiceTier = "default" | "flex" | "priority";
export type LatencyMode = "standard" | "optimized";
export type GuardrailTrace = "enabled" | "disabled" | "enabled_full";
export type GuardrailStreamProcessingMode = "sync" | "async";
/** Where an effective value came from: the section itself, [llm], the environment, ~/.aws/config, a default. */
export type ValueSource = "file" | "inherited" | "env" | "aws-config" | "default";

export interface GuardrailConfig {
  guardrailIdentifier: string;
  guardrailVersion: string;
  trace?: GuardrailTrace;
  /** ConverseStream only: how the guardrail scans streamed output. */
  streamProcessingMode?: GuardrailStreamProcessingMode;
  /** Throw GuardrailInterventionError instead of returning finish_reason "content_filter". */
  raise_on_intervention?: boolean;
}

/** Capability overrides for ids missing from the registry (e.g. application inference profile ARNs). */
export interface ModelCapabilityOverrides {
  tools?: boolean;
  system_prompt?: boolean;
  images?: boolean;
  documents?: boolean;
  prompt_caching?: boolean;
  cache_min_tokens?: number;
  streaming_tool_use?: boolean;
  structured_output?: boolean;
  thinking?: "none" | "manual" | "adaptive" | "adaptive_only";
  context_window?: number;
  max_output_tokens?: number;
}

export interface LLMConfig {
  /** Always normalised to "bedrock/<model id or ARN>". */
  model: string;
  /** Name of the section this came from: "llm" or the NAME of [llm.NAME]. */
  section: string;

  aws_access_key_id?: string;
  aws_secret_access_key?: string;
  aws_session_token?: string;
  aws_region_name?: string;
  aws_profile_name?: string;
  aws_role_name?: string;
  aws_session_name?: string;
  /** The token itself, or a path to a file holding it (re-read on refresh). */
  aws_web_identity_token?: string;
  aws_bedrock_runtime_endpoint?: string;
  aws_sts_endpoint?: string;
  /** Bedrock API key (bearer token). */
  aws_bearer_token?: string;

  guardrail_config?: GuardrailConfig;
  cross_region_target?: CrossRegionTarget;

  temperature?: number;
  top_p?: number;
  max_output_tokens?: number;

  caching_prompt: boolean;
  cache_ttl: CacheTtl;

  /** Retries after the first attempt. */
  num_retries: number;
  /** Seconds. */
  retry_min_wait: number;
  /** Seconds. */
  retry_max_wait: number;
  retry_multiplier: number;
  /** Seconds for one whole call, retries included. */
  timeout: number;

  reasoning_effort?: ReasoningEffort;
  thinking_budget_tokens?: number;
  service_tier?: ServiceTier;
  latency?: LatencyMode;

  /** USD per token; override the registry's prices. */
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_cost_per_token?: number;
  cache_write_cost_per_token?: number;

  log_completions: boolean;
  log_completions_folder: string;

  /** For ARNs and ids missing from the registry: the registry id whose capabilities and prices apply. */
  base_model?: string;
  capabilities?: ModelCapabilityOverrides;

  /** Where each effective value came from, for `check` (set by the loader; absent on hand-built configs). */
  provenance?: Record<string, ValueSource>;
}

/** [server] section: the OpenAI-compatible gateway. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Keys a client must present as "Authorization: Bearer <key>". Secrets. */
  api_keys: string[];
  /** Largest accepted request body, bytes. */
  max_body_bytes: number;
  /** Requests served at once; more wait in a queue of max_queue, then get 429. */
  max_concurrency: number;
  max_queue: number;
}

export interface BedrockLLMConfig {
  /** The [llm] section with defaults, env overlay and validation applied. */
  llm: LLMConfig;
  /** Each [llm.NAME] section, inheriting every key of [llm] it does not set. */
  llms: Record<string, LLMConfig>;
  server: ServerConfig;
  /** Absolute path of the file it was loaded from, if any. */
  path?: string;
}
