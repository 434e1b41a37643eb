/**
 * Model registry types: a contract shared by config, bedrock mapping, llm, cli and gateway. Extend, do not rename.
 */
import type { GEOGRAPHIES } from "./geography.js";

/** Profile geographies ("us.", "jp." ...), as listed in geography.ts. */
export type Geography = (typeof GEOGRAPHIES)[number];
/** A geography named in cross_region_target: any the registry knows. */
export type CrossRegionTarget = Geography;

/** How a model takes extended thinking: not at all, with a token budget, adaptive, or adaptive only. */
export const THINKING_SUPPORT = ["none", "manual", "adaptive", "adaptive_only"] as const;
export type ThinkingSupport = (typeof THINKING_SUPPORT)[number];
export type Lifecycle = "active" | "legacy" | "end_of_life";

export interface PromptCachingSupport {
  /** Minimum tokens in the prefix a cache point closes, or nothing is cached. */
  minTokensPerCachePoint: number;
  /** Bedrock allows at most 4 cache points per request. */
  maxCachePoints: number;
  ttls: ("5m" | "1h")[];
  /** Where cache points are accepted. */
  fields: ("system" | "messages" | "tools")[];
}

/** USD per 1M tokens, on-demand, in the model's reference region (us-east-1 unless noted). */
export interface ModelPricing {
  input: number;
  output: number;
  cacheRead?: number;
  /** Cache writes with the 5-minute TTL. */
  cacheWrite?: number;
  /** Cache writes with the 1-hour TTL, where the model offers it (Claude: twice the input price). */
  cacheWrite1h?: number;
}

/** How an embedding model's native body family reads and what it accepts (InvokeModel only). */
export interface EmbeddingSupport {
  /** The native body family (src/bedrock/embeddings/). */
  family: "titan-v1" | "titan-v2" | "cohere-v3" | "cohere-v4" | "nova";
  /** Vector sizes a request may ask for. */
  dimensions: number[];
  defaultDimension: number;
  /** Tokens per input text. */
  maxInputTokens: number;
  /** Characters per input text, where the model's schema sets a limit. */
  maxInputChars?: number;
  /** Texts per InvokeModel call (embed() splits longer lists). */
  maxTexts: number;
}

export interface ModelInfo {
  /** "embedding" for embedding models (InvokeModel with a native body, no Converse); chat models leave it out. */
  kind?: "chat" | "embedding";
  /** Embedding models only: dimensions and limits. */
  embedding?: EmbeddingSupport;
  /** Base foundation-model id, e.g. "anthropic.claude-3-sonnet-20240229-v1:0". */
  id: string;
  /** Human name, e.g. "Claude 3 Sonnet". */
  name: string;
  /**
   * Claude only: the model's ids on Anthropic's own API, the canonical id first, then its aliases
   * ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"), as clients of the Messages API send them.
   */
  anthropicIds?: string[];
  provider: "anthropic" | "amazon" | "meta" | "mistral" | "cohere" | "ai21" | "deepseek" | "openai" | "other";
  /** Family used to infer capabilities of unknown ids, e.g. "claude-3", "claude-4.5", "titan-text", "nova". */
  family: string;
  contextWindow: number;
  maxOutputTokens: number;
  tools: boolean;
  systemPrompt: boolean;
  images: boolean;
  documents: boolean;
  streaming: boolean;
  streamingToolUse: boolean;
  structuredOutput: boolean;
  promptCaching: PromptCachingSupport | null;
  thinking: ThinkingSupport;
  /** Whether `outputConfig.effort` is accepted. */
  effort: boolean;
  /** False when on-demand calls need an inference profile id. */
  onDemand: boolean;
  /** Geographies with a system-defined cross-region inference profile. */
  geographies: Geography[];
  /** Regions where the model is served (in-region or as profile source). */
  regions: string[];
  lifecycle: Lifecycle;
  /** ISO date when it became (or becomes) legacy. */
  legacyDate?: string;
  /** ISO date of end of life. */
  endOfLifeDate?: string;
  pricing?: ModelPricing;
  /** Where the facts come from (AWS page). */
  source: string;
  /** Caveat about the entry, e.g. a fact that could not be confirmed on an AWS page. */
  note?: string;
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
  thinking?: ThinkingSupport;
  context_window?: number;
  max_output_tokens?: number;
}

/** What model resolution reads of a configuration section: the model and where it is called from. */
export interface ResolveInput {
  /** "bedrock/<model id, profile id or ARN>" (the prefix is optional). */
  model: string;
  aws_region_name?: string;
  cross_region_target?: CrossRegionTarget;
  /** For ARNs and ids missing from the registry: the registry id whose capabilities and prices apply. */
  base_model?: string;
  capabilities?: ModelCapabilityOverrides;
}

export type ModelIdKind =
  | "foundation" // anthropic.claude-3-sonnet-20240229-v1:0
  | "profile" // us.anthropic.claude-3-7-sonnet-20250219-v1:0
  | "foundation-arn" // arn:aws:bedrock:us-east-1::foundation-model/...
  | "profile-arn" // arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic...
  | "application-profile-arn" // arn:aws:bedrock:...:application-inference-profile/abc123
  | "other-arn"; // provisioned throughput, imported model, ...

export interface ParsedModelId {
  /** Exactly what follows "bedrock/". */
  raw: string;
  kind: ModelIdKind;
  /** Base foundation-model id when it can be known from the id itself. */
  baseId?: string;
  /** Geography prefix of a profile id. */
  geography?: Geography;
  /** Region named by an ARN. */
  arnRegion?: string;
}

export interface ResolvedModel {
  parsed: ParsedModelId;
  /** What goes on the wire as modelId (after cross-region resolution). */
  sentId: string;
  /** Registry entry, or capabilities inferred for an unknown id. */
  info: ModelInfo;
  /** False when info was inferred rather than found. */
  known: boolean;
  /** Human-readable notices (unknown id inferred, legacy model, ...), for `check` and logs. */
  notices: string[];
}
