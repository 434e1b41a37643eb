/** `bedrock-llm models` filters: a substring of the id or name, a provider, capabilities the model must have. */
import { closestKey } from "../config/suggest.js";
import type { ModelInfo } from "../models/types.js";
import { UsageError } from "./exit.js";

/** Capability names accepted by --capability, and what each requires of a model. */
export const CAPABILITIES: Record<string, (model: ModelInfo) => boolean> = {
  tools: (m) => m.tools,
  "streaming-tools": (m) => m.streamingToolUse,
  images: (m) => m.images,
  documents: (m) => m.documents,
  caching: (m) => m.promptCaching !== null,
  thinking: (m) => m.thinking !== "none",
  effort: (m) => m.effort,
  "structured-output": (m) => m.structuredOutput,
  "system-prompt": (m) => m.systemPrompt,
  "on-demand": (m) => m.onDemand,
  embedding: (m) => m.kind === "embedding",
};

export interface ModelFilter {
  text?: string;
  provider?: string;
  capabilities?: string[];
}

function unknownValue(what: string, value: string, known: string[]): UsageError {
  const closest = closestKey(value, known);
  const hint = closest ? `did you mean ${closest}?` : `one of: ${known.join(", ")}`;
  return new UsageError(`unknown ${what} "${value}": ${hint}`);
}

/** The models that pass every filter given; throws UsageError for a provider or capability that does not exist. */
export function filterModels(models: ModelInfo[], filter: ModelFilter): ModelInfo[] {
  const providers = [...new Set(models.map((m) => m.provider))];
  const provider = filter.provider?.toLowerCase();
  if (provider !== undefined && !providers.includes(provider as ModelInfo["provider"])) {
    throw unknownValue("provider", filter.provider as string, providers);
  }
  const tests = (filter.capabilities ?? []).map((name) => {
    const test = CAPABILITIES[name.toLowerCase()];
    if (!test) throw unknownValue("capability", name, Object.keys(CAPABILITIES));
    return test;
  });
  const text = filter.text?.toLowerCase();
  return models.filter(
    (m) =>
      (text === undefined || m.id.toLowerCase().includes(text) || m.name.toLowerCase().includes(text)) &&
      (provider === undefined || m.provider === provider) &&
      tests.every((test) => test(m)),
  );
}
