/**
 * The emulator's own model table: which ids it serves and what each model accepts. It is deliberately independent
 * of the client-side registry (src/models), so a bug there cannot hide behind the same bug here.
 * Sources: AWS Bedrock user guide pages "Supported foundation models", "Supported Regions and models for inference
 * profiles", "Prompt caching" (minimum tokens per cache checkpoint) and "Adaptive thinking"; Anthropic's model
 * overview for output limits. Kept in step with the client's registry (src/models/registry.ts) by hand, without
 * importing it, and held to it by test/models/emulator-parity.test.ts (same ids, on-demand flags, output limits,
 * profiles and enforced capabilities); the Claude 5.5 / Fable / Mythos rows follow that registry's ids, which it
 * marks as partly unconfirmed.
 */
import { EMBEDDING_MODELS } from "./embedding-models.js";

export type Provider = "anthropic" | "amazon-titan" | "amazon-nova" | "meta" | "mistral" | "cohere";

/**
 * none: no reasoning. manual: thinking {type: "enabled", budget_tokens}. adaptive: adaptive preferred, manual
 * still accepted. adaptive_only: only {type: "adaptive"}; "enabled" and "disabled" are refused.
 */
export type ThinkingGeneration = "none" | "manual" | "adaptive" | "adaptive_only";

export type Geography = "us" | "eu" | "apac" | "us-gov" | "global" | "jp" | "au";

export interface ModelSpec {
  id: string;
  provider: Provider;
  name: string;
  tools: boolean;
  /** Which toolChoice members the model accepts besides auto. */
  toolChoice: readonly ("any" | "tool")[];
  system: boolean;
  images: boolean;
  documents: boolean;
  /** Minimum prompt-prefix tokens for a cache checkpoint; 0 = explicit prompt caching unsupported. */
  cacheMinTokens: number;
  /** Whether cache points may sit in toolConfig.tools (Nova: no). */
  cacheInTools: boolean;
  /** Whether cache points may ask for the 1h TTL (Claude 4.5 and later). */
  oneHourCache: boolean;
  thinking: ThinkingGeneration;
  effort: boolean;
  structuredOutput: boolean;
  /** false: on-demand invocation needs an inference profile id or ARN. */
  onDemand: boolean;
  /** Geographies with a system-defined cross-region inference profile for this model. */
  profiles: readonly Geography[];
  maxOutputTokens: number;
  /** Set on embedding models (InvokeModel only); see embedding-models.ts. */
  embedding?: EmbeddingSpec;
}

/** What an embedding model's native body accepts. */
export interface EmbeddingSpec {
  family: "titan-v1" | "titan-v2" | "cohere-v3" | "cohere-v4" | "nova-multimodal";
  /** Output sizes the request may ask for. */
  dimensions: readonly number[];
  defaultDimension: number;
  /** Tokens per input text (token rule of tokens.ts) before truncation or refusal. */
  maxInputTokens: number;
  /** Characters per input text the request schema allows. */
  maxTextChars: number;
  /** Texts per call. */
  maxTexts: number;
}

const CLAUDE_TOOLS = { provider: "anthropic", tools: true, toolChoice: ["any", "tool"], system: true } as const;
const OLD_CLAUDE = { ...CLAUDE_TOOLS, images: true, documents: true, cacheInTools: true, oneHourCache: false } as const;
const NEW_CLAUDE = { ...OLD_CLAUDE, oneHourCache: true, structuredOutput: true, onDemand: false } as const;
const FIVE_GEN = { ...NEW_CLAUDE, thinking: "adaptive_only", effort: true, maxOutputTokens: 128000 } as const;

const NO_EXTRAS = {
  cacheMinTokens: 0,
  cacheInTools: false,
  oneHourCache: false,
  thinking: "none",
  effort: false,
  structuredOutput: false,
} as const;

const GLOBAL_US_EU_JP_AU: readonly Geography[] = ["global", "us", "eu", "jp", "au"];

export const MODELS: readonly ModelSpec[] = [
  // Claude 3 / 3.5 / 3.7
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-haiku-20240307-v1:0",
    name: "Claude 3 Haiku",
    cacheMinTokens: 0,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 4096,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-sonnet-20240229-v1:0",
    name: "Claude 3 Sonnet",
    cacheMinTokens: 0,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 4096,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-opus-20240229-v1:0",
    name: "Claude 3 Opus",
    cacheMinTokens: 0,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: ["us"],
    maxOutputTokens: 4096,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-5-haiku-20241022-v1:0",
    name: "Claude 3.5 Haiku",
    images: false,
    cacheMinTokens: 2048,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: ["us"],
    maxOutputTokens: 8192,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    name: "Claude 3.5 Sonnet",
    cacheMinTokens: 0,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 8192,
  },
  // Prompt caching on 3.5 Sonnet v2 stayed with preview customers only: not offered here.
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-5-sonnet-20241022-v2:0",
    name: "Claude 3.5 Sonnet v2",
    cacheMinTokens: 0,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: false,
    profiles: ["us", "apac"],
    maxOutputTokens: 8192,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-3-7-sonnet-20250219-v1:0",
    name: "Claude 3.7 Sonnet",
    cacheMinTokens: 1024,
    thinking: "manual",
    effort: false,
    structuredOutput: false,
    onDemand: false,
    profiles: ["us", "eu", "apac", "us-gov"],
    maxOutputTokens: 64000,
  },
  // Claude 4 / 4.1 / 4.5
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-sonnet-4-20250514-v1:0",
    name: "Claude Sonnet 4",
    cacheMinTokens: 1024,
    thinking: "manual",
    effort: false,
    structuredOutput: false,
    onDemand: false,
    profiles: ["global", "us", "eu", "apac"],
    maxOutputTokens: 64000,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-opus-4-20250514-v1:0",
    name: "Claude Opus 4",
    cacheMinTokens: 1024,
    thinking: "manual",
    effort: false,
    structuredOutput: false,
    onDemand: false,
    profiles: ["us"],
    maxOutputTokens: 32000,
  },
  {
    ...OLD_CLAUDE,
    id: "anthropic.claude-opus-4-1-20250805-v1:0",
    name: "Claude Opus 4.1",
    cacheMinTokens: 1024,
    thinking: "manual",
    effort: false,
    structuredOutput: false,
    onDemand: false,
    profiles: ["us"],
    maxOutputTokens: 32000,
  },
  {
    ...NEW_CLAUDE,
    id: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    name: "Claude Sonnet 4.5",
    cacheMinTokens: 1024,
    thinking: "manual",
    effort: false,
    profiles: [...GLOBAL_US_EU_JP_AU, "us-gov"],
    maxOutputTokens: 64000,
  },
  {
    ...NEW_CLAUDE,
    id: "anthropic.claude-haiku-4-5-20251001-v1:0",
    name: "Claude Haiku 4.5",
    cacheMinTokens: 4096,
    thinking: "manual",
    effort: false,
    profiles: GLOBAL_US_EU_JP_AU,
    maxOutputTokens: 64000,
  },
  {
    ...NEW_CLAUDE,
    id: "anthropic.claude-opus-4-5-20251101-v1:0",
    name: "Claude Opus 4.5",
    cacheMinTokens: 4096,
    thinking: "manual",
    effort: true,
    profiles: ["global", "us", "eu"],
    maxOutputTokens: 64000,
  },
  // Claude 4.6 (adaptive preferred, manual accepted), 4.7 / 4.8 (adaptive only)
  {
    ...NEW_CLAUDE,
    id: "anthropic.claude-sonnet-4-6",
    name: "Claude Sonnet 4.6",
    cacheMinTokens: 1024,
    thinking: "adaptive",
    effort: true,
    profiles: GLOBAL_US_EU_JP_AU,
    maxOutputTokens: 64000,
  },
  {
    ...NEW_CLAUDE,
    id: "anthropic.claude-opus-4-6-v1",
    name: "Claude Opus 4.6",
    cacheMinTokens: 4096,
    thinking: "adaptive",
    effort: true,
    profiles: [...GLOBAL_US_EU_JP_AU, "apac"],
    maxOutputTokens: 128000,
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-opus-4-7",
    name: "Claude Opus 4.7",
    cacheMinTokens: 4096,
    profiles: GLOBAL_US_EU_JP_AU,
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-opus-4-8",
    name: "Claude Opus 4.8",
    cacheMinTokens: 1024,
    profiles: GLOBAL_US_EU_JP_AU,
  },
  // Claude 5 family: adaptive thinking only.
  {
    ...FIVE_GEN,
    id: "anthropic.claude-sonnet-5",
    name: "Claude Sonnet 5",
    cacheMinTokens: 1024,
    profiles: ["global", "us", "eu", "au"],
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-opus-5",
    name: "Claude Opus 5",
    cacheMinTokens: 512,
    profiles: ["global", "us", "eu", "au"],
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-sonnet-5-5",
    name: "Claude Sonnet 5.5",
    cacheMinTokens: 1024,
    profiles: ["global", "us", "eu"],
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-opus-5-5",
    name: "Claude Opus 5.5",
    cacheMinTokens: 512,
    profiles: ["global", "us", "eu"],
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-fable-5",
    name: "Claude Fable 5",
    cacheMinTokens: 512,
    profiles: ["global", "us"],
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-fable-5-1",
    name: "Claude Fable 5.1",
    cacheMinTokens: 512,
    profiles: ["global", "us"],
  },
  {
    ...FIVE_GEN,
    id: "anthropic.claude-mythos-5",
    name: "Claude Mythos 5",
    cacheMinTokens: 512,
    profiles: ["global", "us"],
  },
  // Invitation-only research preview, now legacy; listed by the client's registry, so served here too.
  {
    ...FIVE_GEN,
    id: "anthropic.claude-mythos-preview",
    name: "Claude Mythos Preview",
    cacheMinTokens: 512,
    profiles: ["global", "us"],
  },
  // Amazon Titan Text: no system prompt, no tools, no caching.
  titan("amazon.titan-text-express-v1", "Titan Text G1 - Express", 8192),
  titan("amazon.titan-text-lite-v1", "Titan Text G1 - Lite", 4096),
  titan("amazon.titan-text-premier-v1:0", "Titan Text G1 - Premier", 3072),
  // Amazon Nova: cache points in system and messages only, 5 minutes.
  nova("amazon.nova-micro-v1:0", "Nova Micro", {
    multimodal: false,
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 10000,
  }),
  nova("amazon.nova-lite-v1:0", "Nova Lite", {
    multimodal: true,
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 10000,
  }),
  nova("amazon.nova-pro-v1:0", "Nova Pro", {
    multimodal: true,
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 10000,
  }),
  nova("amazon.nova-premier-v1:0", "Nova Premier", {
    multimodal: true,
    onDemand: false,
    profiles: ["us"],
    maxOutputTokens: 32000,
  }),
  nova("amazon.nova-2-lite-v1:0", "Nova 2 Lite", {
    multimodal: true,
    onDemand: false,
    profiles: ["global", "us", "eu", "jp"],
    maxOutputTokens: 64000,
  }),
  // Meta Llama and Mistral: tools (auto only for Llama), no caching.
  openWeights("meta", "meta.llama3-1-8b-instruct-v1:0", "Llama 3.1 8B Instruct", { onDemand: true, profiles: ["us"] }),
  openWeights("meta", "meta.llama3-1-70b-instruct-v1:0", "Llama 3.1 70B Instruct", {
    onDemand: true,
    profiles: ["us"],
  }),
  openWeights("meta", "meta.llama3-2-90b-instruct-v1:0", "Llama 3.2 90B Instruct", {
    images: true,
    onDemand: false,
    profiles: ["us"],
  }),
  openWeights("meta", "meta.llama3-3-70b-instruct-v1:0", "Llama 3.3 70B Instruct", {
    onDemand: false,
    profiles: ["us"],
  }),
  openWeights("meta", "meta.llama4-scout-17b-instruct-v1:0", "Llama 4 Scout 17B Instruct", {
    images: true,
    onDemand: false,
    profiles: ["us"],
  }),
  openWeights("meta", "meta.llama4-maverick-17b-instruct-v1:0", "Llama 4 Maverick 17B Instruct", {
    images: true,
    onDemand: false,
    profiles: ["us"],
  }),
  openWeights("mistral", "mistral.mistral-large-2402-v1:0", "Mistral Large (24.02)", {
    toolChoice: ["any"],
    onDemand: true,
    profiles: [],
  }),
  openWeights("mistral", "mistral.mistral-large-2407-v1:0", "Mistral Large 2 (24.07)", {
    toolChoice: ["any"],
    onDemand: true,
    profiles: [],
  }),
  openWeights("mistral", "mistral.mistral-small-2402-v1:0", "Mistral Small (24.02)", {
    toolChoice: ["any"],
    onDemand: true,
    profiles: [],
  }),
  openWeights("mistral", "mistral.pixtral-large-2502-v1:0", "Pixtral Large (25.02)", {
    images: true,
    toolChoice: ["any"],
    onDemand: false,
    profiles: ["us", "eu"],
  }),
];

function titan(id: string, name: string, maxOutputTokens: number): ModelSpec {
  return {
    ...NO_EXTRAS,
    id,
    name,
    provider: "amazon-titan",
    tools: false,
    toolChoice: [],
    system: false,
    images: false,
    documents: true,
    onDemand: true,
    profiles: [],
    maxOutputTokens,
  };
}

function nova(
  id: string,
  name: string,
  o: { multimodal: boolean; onDemand: boolean; profiles: readonly Geography[]; maxOutputTokens: number },
): ModelSpec {
  return {
    ...NO_EXTRAS,
    id,
    name,
    provider: "amazon-nova",
    tools: true,
    toolChoice: ["any", "tool"],
    system: true,
    images: o.multimodal,
    documents: o.multimodal,
    cacheMinTokens: 1000,
    onDemand: o.onDemand,
    profiles: o.profiles,
    maxOutputTokens: o.maxOutputTokens,
  };
}

function openWeights(
  provider: "meta" | "mistral",
  id: string,
  name: string,
  o: Partial<Pick<ModelSpec, "tools" | "toolChoice" | "images" | "maxOutputTokens">> &
    Pick<ModelSpec, "onDemand" | "profiles">,
): ModelSpec {
  return {
    ...NO_EXTRAS,
    id,
    name,
    provider,
    tools: o.tools ?? true,
    toolChoice: o.toolChoice ?? [],
    system: true,
    images: o.images ?? false,
    documents: true,
    onDemand: o.onDemand,
    profiles: o.profiles,
    maxOutputTokens: o.maxOutputTokens ?? 8192,
  };
}

const BY_ID = new Map([...MODELS, ...EMBEDDING_MODELS].map((m) => [m.id, m]));

export function findModel(id: string): ModelSpec | undefined {
  return BY_ID.get(id);
}
