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

export interface ModelProfile {
  /** What goes on the wire as modelId. */
  sentId: string;
  info: ModelInfo;
  config: LLMConfig;
  caching: CachePolicy | null;
  guardrail?: GuardrailConfiguration;
  guardrailStream?: GuardrailStreamConfiguration;
}

/** ConverseCommandInput and ConverseStreamCommandInput differ only in the guardrail's stream mode. */
export type ConverseInput = ConverseCommandInput & ConverseStreamCommandInput;

/** Receives non-fatal notes about the translation (settings dropped, hints ignored). */
export type WarningSink = (message: string) => void;
