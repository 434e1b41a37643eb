/**
 * The emulator's own model table: which ids it serves and what each model accepts. It is deliberately independent
 * of the client-side registry (src/models), so a bug there cannot hide behind the same bug here.
 * Sources: AWS Bedrock user guide pages "Supported foundation models", "Supported Regions and models for inference
 * profiles", "Prompt caching" (minimum tokens per cache checkpoint) and "Adaptive thinking"; Anthropic's model
 * overview for output limits. Ids marked ASSUMED are not confirmed against AWS's pages.
 */

export type Provider = "anthropic" | "amazon-titan" | "amazon-nova" | "meta" | "mistral";

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
  thinking: ThinkingGeneration;
  effort: boolean;
  structuredOutput: boolean;
  /** false: on-demand invocation needs an inference profile id or ARN. */
  onDemand: boolean;
  /** Geographies with a system-defined cross-region inference profile for this model. */
  profiles: readonly Geography[];
  maxOutputTokens: number;
}

const CLAUDE = { provider: "anthropic", tools: true, toolChoice: ["any", "tool"], system: true, images: true } as const;
const CLAUDE_BASE = { ...CLAUDE, documents: true, cacheInTools: true, structuredOutput: false, effort: false } as const;
const CLAUDE_4_5_PLUS = { ...CLAUDE_BASE, structuredOutput: true, onDemand: false } as const;

const US_EU_APAC: readonly Geography[] = ["us", "eu", "apac"];
const ALL_GEOS: readonly Geography[] = ["us", "eu", "apac", "jp", "au", "global"];

export const MODELS: readonly ModelSpec[] = [
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-haiku-20240307-v1:0",
    name: "Claude 3 Haiku",
    cacheMinTokens: 0,
    thinking: "none",
    onDemand: true,
    profiles: ["us", "eu", "apac", "us-gov"],
    maxOutputTokens: 4096,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-sonnet-20240229-v1:0",
    name: "Claude 3 Sonnet",
    cacheMinTokens: 0,
    thinking: "none",
    onDemand: true,
    profiles: ["us", "eu", "apac"],
    maxOutputTokens: 4096,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-opus-20240229-v1:0",
    name: "Claude 3 Opus",
    cacheMinTokens: 0,
    thinking: "none",
    onDemand: true,
    profiles: ["us"],
    maxOutputTokens: 4096,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-5-haiku-20241022-v1:0",
    name: "Claude 3.5 Haiku",
    images: false,
    documents: false,
    cacheMinTokens: 2048,
    thinking: "none",
    onDemand: true,
    profiles: ["us"],
    maxOutputTokens: 8192,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    name: "Claude 3.5 Sonnet",
    cacheMinTokens: 0,
    thinking: "none",
    onDemand: true,
    profiles: ["us", "eu", "apac", "us-gov"],
    maxOutputTokens: 8192,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-5-sonnet-20241022-v2:0",
    name: "Claude 3.5 Sonnet v2",
    cacheMinTokens: 1024,
    thinking: "none",
    onDemand: false,
    profiles: ["us", "apac"],
    maxOutputTokens: 8192,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-3-7-sonnet-20250219-v1:0",
    name: "Claude 3.7 Sonnet",
    cacheMinTokens: 1024,
    thinking: "manual",
    onDemand: false,
    profiles: ["us", "eu", "apac", "us-gov"],
    maxOutputTokens: 64000,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-sonnet-4-20250514-v1:0",
    name: "Claude Sonnet 4",
    cacheMinTokens: 1024,
    thinking: "manual",
    onDemand: false,
    profiles: ["us", "eu", "apac", "global"],
    maxOutputTokens: 64000,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-opus-4-20250514-v1:0",
    name: "Claude Opus 4",
    cacheMinTokens: 1024,
    thinking: "manual",
    onDemand: false,
    profiles: ["us"],
    maxOutputTokens: 32000,
  },
  {
    ...CLAUDE_BASE,
    id: "anthropic.claude-opus-4-1-20250805-v1:0",
    name: "Claude Opus 4.1",
    cacheMinTokens: 1024,
    thinking: "manual",
    onDemand: false,
    profiles: ["us"],
    maxOutputTokens: 32000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    id: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    name: "Claude Sonnet 4.5",
    cacheMinTokens: 1024,
    thinking: "manual",
    profiles: ALL_GEOS,
    maxOutputTokens: 64000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    id: "anthropic.claude-haiku-4-5-20251001-v1:0",
    name: "Claude Haiku 4.5",
    cacheMinTokens: 4096,
    thinking: "manual",
    profiles: ALL_GEOS,
    maxOutputTokens: 64000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    id: "anthropic.claude-opus-4-5-20251101-v1:0",
    name: "Claude Opus 4.5",
    cacheMinTokens: 4096,
    thinking: "manual",
    effort: true,
    profiles: ALL_GEOS,
    maxOutputTokens: 64000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    id: "anthropic.claude-sonnet-4-6",
    name: "Claude Sonnet 4.6",
    cacheMinTokens: 2048,
    thinking: "adaptive",
    effort: true,
    profiles: ALL_GEOS,
    maxOutputTokens: 64000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    id: "anthropic.claude-opus-4-6-v1",
    name: "Claude Opus 4.6",
    cacheMinTokens: 4096,
    thinking: "adaptive",
    effort: true,
    profiles: ALL_GEOS,
    maxOutputTokens: 128000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    // ASSUMED id, following the Opus 4.6 naming.
    id: "anthropic.claude-opus-4-7",
    name: "Claude Opus 4.7",
    cacheMinTokens: 4096,
    thinking: "adaptive_only",
    effort: true,
    profiles: ALL_GEOS,
    maxOutputTokens: 128000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    // ASSUMED id: Claude 5 family, adaptive thinking only.
    id: "anthropic.claude-sonnet-5",
    name: "Claude Sonnet 5",
    cacheMinTokens: 2048,
    thinking: "adaptive_only",
    effort: true,
    profiles: ALL_GEOS,
    maxOutputTokens: 128000,
  },
  {
    ...CLAUDE_4_5_PLUS,
    // ASSUMED id: Claude 5 family, adaptive thinking only.
    id: "anthropic.claude-opus-5",
    name: "Claude Opus 5",
    cacheMinTokens: 4096,
    thinking: "adaptive_only",
    effort: true,
    profiles: ALL_GEOS,
    maxOutputTokens: 128000,
  },
  ...titan("amazon.titan-text-express-v1", "Titan Text G1 - Express", 8192),
  ...titan("amazon.titan-text-lite-v1", "Titan Text G1 - Lite", 4096),
  ...titan("amazon.titan-text-premier-v1:0", "Titan Text G1 - Premier", 3072),
  ...nova("amazon.nova-micro-v1:0", "Nova Micro", false),
  ...nova("amazon.nova-lite-v1:0", "Nova Lite", true),
  ...nova("amazon.nova-pro-v1:0", "Nova Pro", true),
  {
    id: "meta.llama3-8b-instruct-v1:0",
    provider: "meta",
    name: "Llama 3 8B Instruct",
    tools: false,
    toolChoice: [],
    system: true,
    images: false,
    documents: true,
    cacheMinTokens: 0,
    cacheInTools: false,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: [],
    maxOutputTokens: 2048,
  },
  {
    id: "meta.llama3-3-70b-instruct-v1:0",
    provider: "meta",
    name: "Llama 3.3 70B Instruct",
    tools: true,
    toolChoice: [],
    system: true,
    images: false,
    documents: true,
    cacheMinTokens: 0,
    cacheInTools: false,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: false,
    profiles: ["us"],
    maxOutputTokens: 8192,
  },
  {
    id: "mistral.mistral-large-2402-v1:0",
    provider: "mistral",
    name: "Mistral Large (24.02)",
    tools: true,
    toolChoice: ["any"],
    system: true,
    images: false,
    documents: true,
    cacheMinTokens: 0,
    cacheInTools: false,
    thinking: "none",
    effort: false,
    structuredOutput: false,
    onDemand: true,
    profiles: [],
    maxOutputTokens: 8192,
  },
];

function titan(id: string, name: string, maxOutputTokens: number): ModelSpec[] {
  return [
    {
      id,
      provider: "amazon-titan",
      name,
      tools: false,
      toolChoice: [],
      system: false,
      images: false,
      documents: id.includes("premier"),
      cacheMinTokens: 0,
      cacheInTools: false,
      thinking: "none",
      effort: false,
      structuredOutput: false,
      onDemand: true,
      profiles: [],
      maxOutputTokens,
    },
  ];
}

function nova(id: string, name: string, multimodal: boolean): ModelSpec[] {
  return [
    {
      id,
      provider: "amazon-nova",
      name,
      tools: true,
      toolChoice: ["any", "tool"],
      system: true,
      images: multimodal,
      documents: multimodal,
      cacheMinTokens: 1000,
      cacheInTools: false,
      thinking: "none",
      effort: false,
      structuredOutput: false,
      onDemand: true,
      profiles: US_EU_APAC,
      maxOutputTokens: 10000,
    },
  ];
}

const BY_ID = new Map(MODELS.map((m) => [m.id, m]));

export function findModel(id: string): ModelSpec | undefined {
  return BY_ID.get(id);
}
