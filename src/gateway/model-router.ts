/**
 * Which LLM serves a request's `model`: a [server.model_aliases] name (pinned to a section or a model id), a
 * [llm.NAME] section name, "llm"/"default" for [llm], or a model id (registry id, profile id, "bedrock/..." form,
 * or a Claude model's id on Anthropic's API such as "claude-sonnet-4-5") served with [llm]'s settings and that
 * model. One LLM instance per name, created once and reused, so credential caches and metrics are shared by all
 * requests.
 */
import type { BedrockLLMConfig, LLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { LLM, type LLMOptions } from "../llm/index.js";
import { listModels, lookupAnthropicModel, lookupModel, resolveModel } from "../models/index.js";

const DEFAULT_NAMES = ["default", "llm"];
/** Bound on instances created on demand for model ids (each holds a client and its metrics). */
const MAX_ON_DEMAND = 256;

export class ModelRouter {
  private readonly sections = new Map<string, LLM>();
  private readonly byModelId = new Map<string, LLM>();

  /** A #private field: util.inspect and JSON.stringify of the router (or the gateway context) never reach its secrets. */
  readonly #config: BedrockLLMConfig;

  constructor(
    config: BedrockLLMConfig,
    private readonly llmOptions: LLMOptions = {},
  ) {
    this.#config = config;
    // Resolving every section's model now makes a misconfigured one fail at start-up, not on its first request.
    const main = new LLM(config.llm, llmOptions);
    resolveModel(config.llm);
    for (const name of DEFAULT_NAMES) this.sections.set(name, main);
    for (const [name, section] of Object.entries(config.llms)) {
      resolveModel(section);
      this.sections.set(name, new LLM(section, llmOptions));
    }
    // An alias names a section or a model this configuration can send: a typo fails at start-up.
    for (const [alias, target] of Object.entries(config.server.model_aliases)) {
      if (this.sections.has(target)) continue;
      try {
        resolveModel({ ...config.llm, model: `bedrock/${bareId(target)}` });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new ConfigError(`server.model_aliases.${alias} = ${JSON.stringify(target)} is not usable: ${why}`, {
          key: `server.model_aliases.${alias}`,
        });
      }
    }
  }

  /** The LLM for a requested model name, or undefined when the name is unknown. Throws ConfigError. */
  resolve(name: string): LLM | undefined {
    const alias = Object.hasOwn(this.#config.server.model_aliases, name)
      ? this.#config.server.model_aliases[name]
      : undefined;
    const target = alias ?? name;
    const section = this.sections.get(target);
    if (section) return section;
    // A Claude model named as on Anthropic's API is its registry row's id.
    const id = lookupAnthropicModel(target)?.id ?? bareId(target);
    const existing = this.byModelId.get(id);
    if (existing) return existing;
    if (`bedrock/${id}` === this.#config.llm.model) return this.sections.get(DEFAULT_NAMES[0] as string);
    // An alias pins any id the operator chose (an application profile ARN, say); clients may name registry ids.
    if (alias === undefined && !lookupModel(id)) return undefined;
    if (this.byModelId.size >= MAX_ON_DEMAND) return undefined;
    // [llm]'s settings with that model only: the request named the model, so [llm]'s routing does not apply.
    const config: LLMConfig = {
      ...this.#config.llm,
      model: `bedrock/${id}`,
      fallbacks: undefined,
      deployments: undefined,
    };
    resolveModel(config); // throws ConfigError (answered 400) for an id this configuration cannot send
    const llm = new LLM(config, this.llmOptions);
    this.byModelId.set(id, llm);
    return llm;
  }

  /** The names a request may use besides model ids: section names, then aliases. */
  namedModels(): string[] {
    return [
      ...DEFAULT_NAMES.slice(0, 1),
      ...Object.keys(this.#config.llms),
      ...Object.keys(this.#config.server.model_aliases),
    ];
  }

  /** GET /v1/models: section names first, then aliases, then the registry's ids. */
  listIds(): { id: string; owned_by: string }[] {
    const ids = [{ id: "default", owned_by: "bedrock-llm" }];
    for (const name of Object.keys(this.#config.llms)) ids.push({ id: name, owned_by: "bedrock-llm" });
    for (const name of Object.keys(this.#config.server.model_aliases)) ids.push({ id: name, owned_by: "bedrock-llm" });
    for (const model of listModels()) ids.push({ id: model.id, owned_by: model.provider });
    return ids;
  }

  /** Every instance, for totals read at scrape time (retries). */
  instances(): LLM[] {
    return [...new Set([...this.sections.values(), ...this.byModelId.values()])];
  }
}

function bareId(name: string): string {
  return name.startsWith("bedrock/") ? name.slice("bedrock/".length) : name;
}
