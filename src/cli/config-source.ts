/**
 * Where a command's configuration comes from: -c FILE, else ./config.toml, else $BEDROCK_LLM_CONFIG.
 * With no file at all, --model alone is enough (credentials then come from the environment), which keeps
 * one-off calls against real AWS short.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { configFromObject, loadConfig, normaliseModel } from "../config/index.js";
import type { BedrockLLMConfig, LLMConfig } from "../config/types.js";
import { closestModelId } from "../models/index.js";
import { UsageError } from "./exit.js";
import { styleFor } from "./style.js";

export interface ConfigSourceOptions {
  config?: string;
  llm?: string;
  model?: string;
}

export const CONFIG_ENV = "BEDROCK_LLM_CONFIG";

/** The configuration file to read, or undefined when there is none. */
export function findConfigPath(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  const local = resolve(cwd, "config.toml");
  if (existsSync(local)) return local;
  const fromEnv = env[CONFIG_ENV];
  return fromEnv ? resolve(cwd, fromEnv) : undefined;
}

export async function loadCliConfig(options: ConfigSourceOptions): Promise<BedrockLLMConfig> {
  const config = await loadFromSource(options);
  const notice = styleFor(process.stderr).yellow("notice");
  for (const text of config.notices ?? []) process.stderr.write(`${notice}: ${text}\n`);
  return config;
}

async function loadFromSource(options: ConfigSourceOptions): Promise<BedrockLLMConfig> {
  const path = findConfigPath(options.config);
  if (path) return loadConfig(path, { env: process.env });
  if (options.model)
    return configFromObject({ llm: { model: withBedrockPrefix(options.model) } }, { env: process.env });
  throw new UsageError(
    `no configuration: pass -c FILE, create ./config.toml, or set ${CONFIG_ENV} (or give --model to use credentials from the environment)`,
  );
}

/** The [llm] section, or [llm.NAME] with --llm NAME; --model replaces its model. */
export function selectLLMConfig(config: BedrockLLMConfig, options: ConfigSourceOptions): LLMConfig {
  let selected = config.llm;
  if (options.llm && options.llm !== "llm") {
    const named = config.llms[options.llm];
    if (!named) {
      const known = Object.keys(config.llms);
      const hint =
        known.length > 0 ? `; sections in the file: ${known.join(", ")}` : "; the file has no [llm.NAME] sections";
      throw new UsageError(`no [llm.${options.llm}] section in ${config.path ?? "the configuration"}${hint}`);
    }
    selected = named;
  }
  if (!options.model) return selected;
  // The model asked for on the command line, with the section's settings: the section's routing does not apply.
  return { ...selected, model: withBedrockPrefix(options.model), fallbacks: undefined, deployments: undefined };
}

/**
 * --model as "bedrock/<id>", checked by the same rule as the file's `model` (a bare id only when unambiguous).
 * `option` names where the id was given, in the message: "--model", or "/model" in the interactive chat.
 */
export function withBedrockPrefix(model: string, option = "--model"): string {
  try {
    return normaliseModel(model);
  } catch (error) {
    const closest = model.includes("/") ? undefined : closestModelId(model.trim());
    const hint = closest ? `. Did you mean ${option} ${closest}?` : "";
    throw new UsageError(`${option} "${model}" ${(error as Error).message}${hint}`);
  }
}
