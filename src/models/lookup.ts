/** Registry lookups by base id, profile id, ARN or "bedrock/..." string. */
import { parseModelId } from "./parse.js";
import { MODELS } from "./registry.js";
import type { ModelInfo } from "./types.js";

const BY_ID = new Map<string, ModelInfo>(MODELS.map((model) => [model.id, model]));

/** Anthropic API ids and aliases -> registry entry (lower-case keys: clients are not consistent about case). */
const BY_ANTHROPIC_ID = new Map<string, ModelInfo>(
  MODELS.flatMap((model) => (model.anthropicIds ?? []).map((id): [string, ModelInfo] => [id.toLowerCase(), model])),
);

/** The registry entry for a model name of Anthropic's API ("claude-sonnet-4-5", "claude-opus-4-8"), if any. */
export function lookupAnthropicModel(name: string): ModelInfo | undefined {
  return BY_ANTHROPIC_ID.get(name.toLowerCase());
}

/** Registry entry for a base id, a profile id, or an ARN naming one. */
export function lookupModel(id: string): ModelInfo | undefined {
  let baseId: string | undefined;
  try {
    baseId = parseModelId(id).baseId;
  } catch {
    return undefined;
  }
  return baseId === undefined ? undefined : BY_ID.get(baseId);
}

/** The whole registry, in display order (newest families first). */
export function listModels(): ModelInfo[] {
  return [...MODELS];
}
