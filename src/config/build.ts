/**
 * From parsed TOML data to a validated BedrockLLMConfig:
 *   1. every key of [llm], [llm.NAME] and [server] is known and well-typed (errors point at the file line);
 *   2. LLM_* variables override [llm];
 *   3. each [llm.NAME] inherits every [llm] key it does not set (credential sources as a group, see keys.ts);
 *   4. AWS_* variables and the AWS config file fill what is still unset; defaults fill the rest;
 *   5. the section schema types the result; cross-key rules (checks.ts) and model resolution run on it.
 */
import type { z } from "zod";
import { ConfigError } from "../errors.js";
import { findRegion } from "./aws-region.js";
import type { Env } from "./aws-shared-files.js";
import { checkValue } from "./check-value.js";
import { checkSection } from "./checks.js";
import { fillFromAwsEnv, type IgnoredVariables, type Layer, overlayLlmEnv, type Provenance } from "./env.js";
import { CREDENTIAL_SOURCE_KEYS, LLM_DEFAULTS, LLM_KEY_NAMES, LLM_KEYS, type LlmKey, SERVER_KEYS } from "./keys.js";
import type { Locator } from "./locate.js";
import { normaliseModel } from "./model-name.js";
import { ignoredVariablesNotices, type SectionNote } from "./notices.js";
import { checkRouting } from "./routing.js";
import { LLM_SECTION, SERVER_SECTION } from "./schema.js";
import { suggestionFor } from "./suggest.js";
import type { BedrockLLMConfig, LLMConfig, ServerConfig } from "./types.js";

const SECTIONS = ["llm", "server"];

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

interface SplitLlm {
  keys: Record<string, unknown>;
  named: Record<string, Record<string, unknown>>;
}

/** Separates [llm]'s own keys from its [llm.NAME] sub-tables, refusing unknown keys and name collisions. */
function splitLlm(llm: Record<string, unknown>, locator: Locator): SplitLlm {
  const keys: Record<string, unknown> = {};
  const named: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(llm)) {
    const spec = LLM_KEYS[key];
    if (spec && (spec.kind === "table" || !isTable(value))) {
      keys[key] = value;
    } else if (spec) {
      throw locator.inFile(
        ["llm", key],
        `[llm.${key}] is a section named like the key "${key}": section names must not collide with keys; rename the section`,
      );
    } else if (isTable(value)) {
      named[key] = value;
    } else {
      throw locator.inFile(["llm", key], `llm.${key} is not a known key: ${suggestionFor(key, LLM_KEY_NAMES)}`);
    }
  }
  return { keys, named };
}

/** Validates the keys of one [llm] or [llm.NAME] table as written. */
function checkKeys(path: string[], values: Record<string, unknown>, locator: Locator): void {
  const dotted = path.join(".");
  for (const [key, value] of Object.entries(values)) {
    const spec = LLM_KEYS[key];
    if (!spec) {
      const nested = isTable(value) ? ` ([${dotted}.${key}]: sections nest only one level, [llm.NAME])` : "";
      throw locator.inFile(
        [...path, key],
        `${dotted}.${key} is not a known key${nested}: ${suggestionFor(key, LLM_KEY_NAMES)}`,
      );
    }
    if (spec.kind !== "table" && isTable(value)) {
      throw locator.inFile(
        [...path, key],
        `[${dotted}.${key}] is a section named like the key "${key}": section names must not collide with keys; rename the section`,
      );
    }
    const problem = checkValue(`${dotted}.${key}`, value, spec);
    if (problem) {
      const at = problem.field === undefined ? [...path, key] : [...path, key, problem.field];
      throw locator.inFile(at, problem.message);
    }
  }
}

function fileLayer(values: Record<string, unknown>): Layer {
  const provenance: Record<string, Provenance> = {};
  for (const key of Object.keys(values)) provenance[key] = "file";
  return { values: { ...values }, provenance, variables: {} };
}

/**
 * [llm] under a named section: inherited keys, minus credential sources when the section picks its own, minus the
 * keys that describe [llm] itself (its fallbacks, deployments, weight).
 */
function inherit(base: Layer, own: Record<string, unknown>): Layer {
  const layer: Layer = { values: {}, provenance: {}, variables: {} };
  const ownSource = CREDENTIAL_SOURCE_KEYS.some((key) => own[key] !== undefined);
  const credentialKeys: readonly string[] = CREDENTIAL_SOURCE_KEYS;
  for (const [key, value] of Object.entries(base.values)) {
    if (ownSource && credentialKeys.includes(key)) continue;
    if (LLM_KEYS[key]?.own) continue;
    layer.values[key] = value;
    layer.provenance[key] = "inherited";
    const variable = base.variables[key];
    if (variable !== undefined) layer.variables[key] = variable;
  }
  for (const [key, value] of Object.entries(own)) {
    layer.values[key] = value;
    layer.provenance[key] = "file";
    delete layer.variables[key];
  }
  return layer;
}

interface SectionInput {
  /** "llm" or the NAME of [llm.NAME]. */
  section: string;
  layer: Layer;
  env: Env;
  locator: Locator;
  /** Collects the AWS_* variables each section ignored, for the configuration's notices. */
  notes: SectionNote[];
}

function blameFor({ section, layer, locator }: SectionInput) {
  return (key: LlmKey, message: string) => {
    const variable = layer.variables[key];
    if (variable !== undefined) return locator.inEnv(variable, `llm.${key}`, message);
    // A value is blamed where it was written: this section, or [llm] when inherited. A missing value has no
    // line of its own, so the error points at this section's header.
    const missing = layer.values[key] === undefined;
    const inherited = !missing && layer.provenance[key] !== "file";
    const path = section === "llm" || inherited ? ["llm", key] : ["llm", section, key];
    return locator.inFile(missing ? path.slice(0, -1) : path, message, path.join("."));
  };
}

/** Values taken from AWS_* variables get the same checks as the file's, blamed on the variable. */
function checkEnvValues(layer: Layer, locator: Locator): void {
  for (const [key, variable] of Object.entries(layer.variables)) {
    const spec = LLM_KEYS[key];
    const problem = spec ? checkValue(`llm.${key}`, layer.values[key], spec) : undefined;
    if (problem) throw locator.inEnv(variable, `llm.${key}`, problem.message);
  }
}

function fillRegion(input: SectionInput, name: string): void {
  const { layer, env, locator } = input;
  if (layer.values.aws_region_name !== undefined) return;
  // AWS_REGION / AWS_DEFAULT_REGION were applied with the other AWS_* variables: what is left is the profile's.
  const { region, source, profile, configFile } = findRegion(
    { aws_profile_name: typeof layer.values.aws_profile_name === "string" ? layer.values.aws_profile_name : undefined },
    env,
  );
  if (region !== undefined) {
    const spec = LLM_KEYS.aws_region_name;
    const problem = spec ? checkValue("region", region, spec) : undefined;
    if (problem) {
      throw new ConfigError(
        `${configFile}: profile "${profile}" (used by [${name}], which sets no aws_region_name): ${problem.message}`,
        { file: locator.file, key: `${name}.aws_region_name` },
      );
    }
    layer.values.aws_region_name = region;
    layer.provenance.aws_region_name = source === "aws-config" ? "aws-config" : "env";
    return;
  }
  const blame = blameFor(input);
  if (layer.values.aws_role_name !== undefined && layer.values.aws_sts_endpoint === undefined) {
    throw blame(
      "aws_role_name",
      `${name}.aws_role_name is set but STS cannot be reached: no region and no aws_sts_endpoint; set aws_region_name (or aws_sts_endpoint)`,
    );
  }
  throw blame(
    "aws_region_name",
    `${name} has no AWS region. Looked at: aws_region_name in [${name}]${name === "llm" ? "" : " and [llm]"}, ` +
      `LLM_AWS_REGION_NAME, AWS_REGION, AWS_DEFAULT_REGION, and the region of profile "${profile}" in ` +
      `${configFile}. Set aws_region_name = "us-east-1" (or your region)`,
  );
}

/**
 * Types values that passed every per-key check. A failure here is a bug in this module (a check is missing), so
 * it is reported as such, without the values, which may hold secrets.
 */
function typed<S extends z.ZodType>(schema: S, values: unknown, name: string): z.output<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const where = result.error.issues.map((issue) => issue.path.join(".")).join(", ");
  throw new ConfigError(`${name}: internal error: values passed the key checks but not the section schema (${where})`);
}

function buildSection(input: SectionInput): LLMConfig {
  const { section, layer, env, locator } = input;
  const name = section === "llm" ? "llm" : `llm.${section}`;
  const ignored: IgnoredVariables | undefined = fillFromAwsEnv(layer, env);
  if (ignored) input.notes.push({ section: name, ignored });
  checkEnvValues(layer, locator);
  for (const [key, value] of Object.entries(LLM_DEFAULTS)) {
    if (layer.values[key] === undefined) {
      layer.values[key] = value;
      layer.provenance[key] = "default";
    }
  }
  const blame = blameFor(input);
  const model = layer.values.model;
  if (typeof model !== "string") {
    throw blame(
      "model",
      `${name} has no model: add model = "bedrock/<model id>", e.g. "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"`,
    );
  }
  try {
    layer.values.model = normaliseModel(model);
  } catch (error) {
    throw blame("model", `${name}.model = ${JSON.stringify(model)} ${(error as Error).message}`);
  }
  fillRegion(input, name);
  const values = typed(LLM_SECTION, layer.values, name);
  checkSection({ name, values, blame });
  return { ...values, section, provenance: { ...layer.provenance } };
}

function buildServer(data: unknown, locator: Locator): ServerConfig {
  if (data === undefined) return typed(SERVER_SECTION, {}, "server");
  if (!isTable(data)) throw locator.inFile(["server"], "server must be a table: write it as a [server] section");
  const names = Object.keys(SERVER_KEYS);
  for (const [key, value] of Object.entries(data)) {
    const spec = SERVER_KEYS[key];
    if (!spec) throw locator.inFile(["server", key], `server.${key} is not a known key: ${suggestionFor(key, names)}`);
    const problem = checkValue(`server.${key}`, value, spec);
    if (problem) throw locator.inFile(["server", key], problem.message);
  }
  return typed(SERVER_SECTION, data, "server");
}

/** Builds the validated configuration from data shaped like the TOML file. */
export function buildConfig(data: unknown, locator: Locator, env: Env): BedrockLLMConfig {
  if (!isTable(data)) {
    throw locator.inWholeFile(
      `the configuration must be a table shaped like the TOML file, e.g. { llm: { model: "bedrock/<model id>" } }; got ${data === null ? "null" : Array.isArray(data) ? "a list" : typeof data}`,
    );
  }
  for (const key of Object.keys(data)) {
    if (!SECTIONS.includes(key)) {
      throw locator.inFile([key], `[${key}] is not a known section: ${suggestionFor(key, SECTIONS)}`);
    }
  }
  if (!isTable(data.llm)) {
    throw locator.inWholeFile(
      'no [llm] section: add one with at least model = "bedrock/<model id>" and aws_region_name',
    );
  }
  const { keys, named } = splitLlm(data.llm, locator);
  checkKeys(["llm"], keys, locator);
  for (const [section, values] of Object.entries(named)) checkKeys(["llm", section], values, locator);

  const base = overlayLlmEnv(fileLayer(keys), env, locator);
  const copy: Layer = {
    values: { ...base.values },
    provenance: { ...base.provenance },
    variables: { ...base.variables },
  };
  const notes: SectionNote[] = [];
  const llm = buildSection({ section: "llm", layer: copy, env, locator, notes });
  const llms: Record<string, LLMConfig> = {};
  for (const [section, values] of Object.entries(named)) {
    llms[section] = buildSection({ section, layer: inherit(base, values), env, locator, notes });
  }
  checkRouting(llm, llms, locator);
  return { llm, llms, server: buildServer(data.server, locator), notices: ignoredVariablesNotices(notes) };
}
