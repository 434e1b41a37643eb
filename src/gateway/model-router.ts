/**
 * Which LLM serves a request's `model`: a [llm.NAME] section name, "llm"/"default" for [llm], or a model id
 * (registry id, profile id, "bedrock/..." form) served with [llm]'s settings and that model. One LLM instance
 * per name, created once and reused, so credential caches and metrics are shared by all requests.
 */
import type { BedrockLLMConfig, LLMConfig } from "../config/types.js";
import { LLM, type LLMOptions } from "../llm/index.js";
import { listModels, lookupModel, resolveModel } from "../models/index.js";

const DEFAULT_NAMES = ["default", "llm"];
/** Bound on instances created on demand for model ids (each holds a client and its metrics). */
const MAX_ON_DEMAND = 256;

export class ModelRouter {
  private readonly sections = new Map<string, LLM>();
  private readonly byModelId = new Map<string, LLM>();

  constructor(
    private readonly config: BedrockLLMConfig,
    private readonly llmOptions: LLMOptions = {},
  ) {
    // Resolving every section's model now makes a misconfigured one fail at start-up, not on its first request.
    const main = new LLM(config.llm, llmOptions);
    resolveModel(config.llm);
    for (const name of DEFAULT_NAMES) this.sections.set(name, main);
    for (const [name, section] of Object.entries(config.llms)) {
      resolveModel(section);
      this.sections.set(name, new LLM(section, llmOptions));
    }
  }

  /** The LLM for a requested model name, or undefined when the name is unknown. Throws ConfigError. */
  resolve(name: string): LLM | undefined {
    const section = this.sections.get(name);
    if (section) return section;
    const existing = this.byModelId.get(name);
    if (existing) return existing;
    const id = name.startsWith("bedrock/") ? name.slice("bedrock/".length) : name;
    if (`bedrock/${id}` !== this.config.llm.model && !lookupModel(id)) return undefined;
    if (this.byModelId.size >= MAX_ON_DEMAND) return undefined;
    const config: LLMConfig = { ...this.config.llm, model: `bedrock/${id}` };
    resolveModel(config); // throws ConfigError (answered 400) for an id this configuration cannot send
    const llm = new LLM(config, this.llmOptions);
    this.byModelId.set(name, llm);
    return llm;
  }

  /** GET /v1/models: section names first, then the registry's ids. */
  listIds(): { id: string; owned_by: string }[] {
    const ids = [{ id: "default", owned_by: "bedrock-llm" }];
    for (const name of Object.keys(this.config.llms)) ids.push({ id: name, owned_by: "bedrock-llm" });
    for (const model of listModels()) ids.push({ id: model.id, owned_by: model.provider });
    return ids;
  }

  /** Every instance, for totals read at scrape time (retries). */
  instances(): LLM[] {
    return [...new Set([...this.sections.values(), ...this.byModelId.values()])];
  }
}
