/**
 * The validated configuration, as the rest of the library sees it. Keys keep the TOML spelling (snake_case)
 * so that documentation, files, environment variables and code all use one name per setting.
 * This file is a contract shared by auth, llm, cli and gateway: extend it, do not rename. Each type is derived from
 * the one declaration of its section in schema.ts; add a key there.
 */
import type { z } from "zod";
import type { ReasoningEffort, ServiceTier } from "../chat/index.js";
import type { CrossRegionTarget, ModelCapabilityOverrides } from "../models/types.js";
import type {
  CACHE_TTLS,
  GUARDRAIL_SECTION,
  GUARDRAIL_STREAM_PROCESSING_MODES,
  GUARDRAIL_TRACES,
  LATENCY_MODES,
  LLM_SECTION,
  ROUTING_STRATEGIES,
  SERVER_SECTION,
} from "./schema.js";

/** reasoning_effort and service_tier take the values a request may carry: the chat contract declares them. */
export type { CrossRegionTarget, ModelCapabilityOverrides, ReasoningEffort, ServiceTier };
export type CacheTtl = (typeof CACHE_TTLS)[number];
export type LatencyMode = (typeof LATENCY_MODES)[number];
export type GuardrailTrace = (typeof GUARDRAIL_TRACES)[number];
export type GuardrailStreamProcessingMode = (typeof GUARDRAIL_STREAM_PROCESSING_MODES)[number];
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];
/** Where an effective value came from: the section itself, [llm], the environment, ~/.aws/config, a default. */
export type ValueSource = "file" | "inherited" | "env" | "aws-config" | "default";

export type GuardrailConfig = z.output<typeof GUARDRAIL_SECTION>;

/** Every key of an [llm] section, validated, defaults applied. */
export type LLMSettings = z.output<typeof LLM_SECTION>;

export interface LLMConfig extends LLMSettings {
  /** Name of the section this came from: "llm" or the NAME of [llm.NAME]. */
  section: string;
  /** Where each effective value came from, for `check` (set by the loader; absent on hand-built configs). */
  provenance?: Record<string, ValueSource>;
}

/** [server] section: the OpenAI-compatible gateway. */
export type ServerConfig = z.output<typeof SERVER_SECTION>;

export interface BedrockLLMConfig {
  /** The [llm] section with defaults, env overlay and validation applied. */
  llm: LLMConfig;
  /** Each [llm.NAME] section, inheriting every key of [llm] it does not set. */
  llms: Record<string, LLMConfig>;
  server: ServerConfig;
  /** Absolute path of the file it was loaded from, if any. */
  path?: string;
  /**
   * Things worth telling the user that are not errors, e.g. an AWS_* credential variable that a section ignores
   * because the configuration chose its credentials. Never contain a secret value.
   */
  notices?: string[];
}
