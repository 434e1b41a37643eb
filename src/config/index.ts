/**
 * Configuration: TOML (values by smol-toml) -> validated BedrockLLMConfig, one schema per section (schema.ts), with
 * [llm.NAME] inheritance, the LLM_* / AWS_* environment overlay, errors that point at file, line (positions by
 * toml-eslint-parser) and key, notices, and a redacted view for printing.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import { ConfigError } from "../errors.js";
import type { Env } from "./aws-shared-files.js";
import { buildConfig } from "./build.js";
import { Locator } from "./locate.js";
import type { BedrockLLMConfig } from "./types.js";

export { envVariableFor } from "./env.js";
export { LLM_DEFAULTS, LLM_KEYS, SECRET_KEYS, SERVER_DEFAULTS, SERVER_KEYS } from "./keys.js";
export { normaliseModel } from "./model-name.js";
export { maskSecret, redact } from "./redact.js";
export { type SectionTable, sectionLabel, sectionsOf } from "./routing.js";
export {
  CACHE_TTLS,
  GUARDRAIL_SECTION,
  GUARDRAIL_STREAM_PROCESSING_MODES,
  GUARDRAIL_TRACES,
  LATENCY_MODES,
  LLM_SECTION,
  ROUTING_DEFAULTS,
  ROUTING_STRATEGIES,
  SERVER_SECTION,
} from "./schema.js";
export type * from "./types.js";

export interface LoadConfigOptions {
  /** Environment to overlay (AWS_*, LLM_*); defaults to process.env. */
  env?: Record<string, string | undefined>;
}

function envOf(options: LoadConfigOptions): Env {
  return options.env ?? process.env;
}

/** Reads, parses and validates a TOML configuration file. Throws ConfigError naming file, line and key. */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<BedrockLLMConfig> {
  if (typeof path !== "string" || path === "") {
    throw new ConfigError('loadConfig(path) needs the path of a TOML file, e.g. loadConfig("config.toml")');
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : (error as Error).message;
    throw new ConfigError(`${path}: cannot read the configuration file (${reason})`, { file: path, cause: error });
  }
  return { ...parseConfig(text, path, options), path: resolve(path) };
}

/** Parses TOML text (path used only in messages). */
export function parseConfig(text: string, path?: string, options: LoadConfigOptions = {}): BedrockLLMConfig {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split("\n")[0];
      const where = `${path ?? "<toml>"}:${error.line}:${error.column}`;
      // No `cause`: the parser's error quotes the offending line, which may hold a secret (and would be printed
      // by console.error or util.inspect); its first line, line and column are all kept here.
      throw new ConfigError(`${where}: TOML syntax error: ${reason}`, { file: path, line: error.line });
    }
    throw error;
  }
  return buildConfig(data, new Locator({ file: path, text }), envOf(options));
}

/**
 * Builds a validated config from a plain object shaped like the TOML file ({ llm: {...} }). Anything else
 * (null, a list, a string) is refused with a ConfigError, as a JavaScript caller may pass it.
 */
export function configFromObject(data: Record<string, unknown>, options: LoadConfigOptions = {}): BedrockLLMConfig {
  return buildConfig(data, new Locator({}), envOf(options));
}
