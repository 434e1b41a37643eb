// STUB (contract): the config helper replaces the bodies, keeping these exported names and signatures.
import type { BedrockLLMConfig } from "./types.js";

export type * from "./types.js";

export interface LoadConfigOptions {
  /** Environment to overlay (AWS_*, LLM_*); defaults to process.env. */
  env?: Record<string, string | undefined>;
}

/** Reads, parses and validates a TOML configuration file. Throws ConfigError naming file, line and key. */
export async function loadConfig(_path: string, _options: LoadConfigOptions = {}): Promise<BedrockLLMConfig> {
  throw new Error("not implemented");
}

/** Parses TOML text (path used only in messages). */
export function parseConfig(_text: string, _path?: string, _options: LoadConfigOptions = {}): BedrockLLMConfig {
  throw new Error("not implemented");
}

/** Builds a validated config from a plain object shaped like the TOML file ({ llm: {...} }). */
export function configFromObject(_data: Record<string, unknown>, _options: LoadConfigOptions = {}): BedrockLLMConfig {
  throw new Error("not implemented");
}

/** A copy safe to print: secrets shown as "****" plus at most their last 4 characters. */
export function redact<T>(config: T): T {
  return config;
}
