/**
 * Capabilities for ids missing from the registry. A new model of a known family (a later Claude, Nova, Llama,
 * Mistral) almost always shares its siblings' request shape, so it borrows the newest sibling's row; prices and
 * lifecycle are not guessed. Everything else gets a conservative text-only profile. Either way the result is
 * marked unknown and `capabilities` in the configuration can correct it.
 */
import { MODELS } from "./registry.js";
import type { ModelCapabilityOverrides, ModelInfo } from "./types.js";

function row(id: string): ModelInfo {
  const found = MODELS.find((model) => model.id === id);
  if (!found) throw new Error(`registry row ${id} is missing`); // a bug in the table, not a user error
  return found;
}

/** Claude generation from the id: "claude-3-5-...", "claude-sonnet-4-5-...", "claude-opus-5", "claude-fable-5-1". */
function claudeGeneration(id: string): number | undefined {
  const legacy = /claude-(\d)-(\d)?/.exec(id);
  if (legacy) return Number(legacy[1]) + (legacy[2] ? Number(legacy[2]) / 10 : 0);
  const modern = /claude-[a-z]+-(\d+)(?:-(\d)(?!\d))?/.exec(id);
  if (modern) return Number(modern[1]) + (modern[2] ? Number(modern[2]) / 10 : 0);
  return undefined;
}

/** The registry row whose capabilities a family member borrows, or undefined for an unknown provider. */
function template(id: string): ModelInfo | undefined {
  if (id.startsWith("anthropic.claude")) {
    const generation = claudeGeneration(id) ?? 5;
    if (generation >= 5) return row("anthropic.claude-sonnet-5");
    if (generation >= 4.7) return row("anthropic.claude-opus-4-7");
    if (generation >= 4.6) return row("anthropic.claude-sonnet-4-6");
    if (generation >= 4.5) return row("anthropic.claude-sonnet-4-5-20250929-v1:0");
    if (generation >= 4) return row("anthropic.claude-sonnet-4-20250514-v1:0");
    if (generation >= 3.7) return row("anthropic.claude-3-7-sonnet-20250219-v1:0");
    if (generation >= 3.5) return row("anthropic.claude-3-5-sonnet-20240620-v1:0");
    return row("anthropic.claude-3-haiku-20240307-v1:0");
  }
  if (id.startsWith("amazon.nova")) return row("amazon.nova-lite-v1:0");
  if (id.startsWith("amazon.titan-text")) return row("amazon.titan-text-express-v1");
  if (id.startsWith("meta.llama")) return row("meta.llama3-3-70b-instruct-v1:0");
  if (id.startsWith("mistral.")) return row("mistral.mistral-large-2402-v1:0");
  return undefined;
}

const PROVIDERS: ModelInfo["provider"][] = [
  "anthropic",
  "amazon",
  "meta",
  "mistral",
  "cohere",
  "ai21",
  "deepseek",
  "openai",
];

function providerOf(id: string): ModelInfo["provider"] {
  const prefix = id.split(".")[0] as ModelInfo["provider"];
  return PROVIDERS.includes(prefix) ? prefix : "other";
}

/** Capabilities for an id missing from the registry (id undefined for application inference profiles). */
export function inferModel(id: string | undefined, displayId: string): { info: ModelInfo; from?: string } {
  const base = id === undefined ? undefined : template(id);
  if (base) {
    const { pricing: _pricing, legacyDate: _legacy, endOfLifeDate: _eol, note: _note, ...capabilities } = base;
    return {
      info: {
        ...capabilities,
        id: displayId,
        name: displayId,
        lifecycle: "active",
        source: `inferred from ${base.id}`,
      },
      from: base.id,
    };
  }
  return {
    info: {
      id: displayId,
      name: displayId,
      provider: id === undefined ? "other" : providerOf(id),
      family: "unknown",
      contextWindow: 32_000,
      maxOutputTokens: 4096,
      tools: false,
      systemPrompt: true,
      images: false,
      documents: false,
      streaming: true,
      streamingToolUse: false,
      structuredOutput: false,
      promptCaching: null,
      thinking: "none",
      effort: false,
      onDemand: true,
      geographies: [],
      regions: [],
      lifecycle: "active",
      source: "inferred: unknown family, conservative text-only defaults",
    },
  };
}

/** Applies the configuration's `capabilities` table on top of a registry or inferred row. */
export function applyOverrides(info: ModelInfo, overrides: ModelCapabilityOverrides | undefined): ModelInfo {
  if (!overrides) return info;
  const next: ModelInfo = { ...info };
  if (overrides.tools !== undefined) next.tools = overrides.tools;
  if (overrides.system_prompt !== undefined) next.systemPrompt = overrides.system_prompt;
  if (overrides.images !== undefined) next.images = overrides.images;
  if (overrides.documents !== undefined) next.documents = overrides.documents;
  if (overrides.streaming_tool_use !== undefined) next.streamingToolUse = overrides.streaming_tool_use;
  if (overrides.structured_output !== undefined) next.structuredOutput = overrides.structured_output;
  if (overrides.thinking !== undefined) next.thinking = overrides.thinking;
  if (overrides.context_window !== undefined) next.contextWindow = overrides.context_window;
  if (overrides.max_output_tokens !== undefined) next.maxOutputTokens = overrides.max_output_tokens;
  if (overrides.prompt_caching === false) next.promptCaching = null;
  else if (overrides.prompt_caching === true || overrides.cache_min_tokens !== undefined) {
    const current = next.promptCaching ?? {
      minTokensPerCachePoint: 1024,
      maxCachePoints: 4,
      ttls: ["5m"],
      fields: ["system", "messages", "tools"],
    };
    next.promptCaching = {
      ...current,
      minTokensPerCachePoint: overrides.cache_min_tokens ?? current.minTokensPerCachePoint,
    };
  }
  return next;
}
