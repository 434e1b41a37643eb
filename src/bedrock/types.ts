/**
 * Types shared by the translation layer. A ModelProfile is everything the translation needs to know about the
 * configured model and settings, computed once per LLM instance and model, so each call only walks its messages.
 */
import type {
  ConverseCommandInput,
  ConverseStreamCommandInput,
  GuardrailConfiguration,
  GuardrailStreamConfiguration,
} from "@aws-sdk/client-bedrock-runtime";
import type { CacheTtl, LLMConfig } from "../config/types.js";
import type { ModelInfo } from "../models/types.js";

/** Where and how cache points may be placed; null on a profile when the model cannot cache. */
export interface CachePolicy {
  ttl: CacheTtl;
  minTokens: number;
  maxPoints: number;
  system: boolean;
  tools: boolean;
  messages: boolean;
  /** Place points automatically (caching_prompt = true); explicit cache_control hints are honoured either way. */
  automatic: boolean;
}

/**
 * The configured settings a call reads (request defaults, guardrail behaviour): a copy of these keys only, so
 * credentials, endpoints and paths never travel with a profile.
 */
export type ProfileSettings = Pick<
  LLMConfig,
  | "max_output_tokens"
  | "temperature"
  | "top_p"
  | "reasoning_effort"
  | "thinking_budget_tokens"
  | "service_tier"
  | "latency"
  | "guardrail_config"
  | "request_metadata"
>;

export interface ModelProfile {
  /** What goes on the wire as modelId. */
  sentId: string;
  info: ModelInfo;
  settings: ProfileSettings;
  caching: CachePolicy | null;
  guardrail?: GuardrailConfiguration;
  guardrailStream?: GuardrailStreamConfiguration;
}

/** ConverseCommandInput and ConverseStreamCommandInput differ only in the guardrail's stream mode. */
export type ConverseInput = ConverseCommandInput & ConverseStreamCommandInput;

/** Receives non-fatal notes about the translation (settings dropped, hints ignored). */
export type WarningSink = (message: string) => void;
