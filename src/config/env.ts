/**
 * The environment's two roles. LLM_<KEY> variables override [llm] (before named sections inherit from it), so
 * deployments can change a setting without editing the file. AWS_* variables only fill what a section leaves
 * unset, the way the AWS SDK would, and credentials from the environment never replace an authentication
 * method the file chose (that is reported, see IgnoredVariables). Which variable fills which key is declared
 * with the key in schema.ts.
 */
import type { Env } from "./aws-shared-files.js";
import { checkValue } from "./check-value.js";
import { CREDENTIAL_SOURCE_KEYS, credentialSources, LLM_KEY_NAMES, LLM_KEYS, type LlmKey } from "./keys.js";
import type { Locator } from "./locate.js";
import type { ValueSource } from "./types.js";

export type Provenance = ValueSource;

/** A section's raw values and where each came from. */
export interface Layer {
  values: Record<string, unknown>;
  provenance: Record<string, Provenance>;
  /** For values taken from the environment: the variable's name, to point at it in errors. */
  variables: Record<string, string>;
}

/** AWS_* credential variables a section did not use, and the setting that made it ignore them. */
export interface IgnoredVariables {
  variables: string[];
  /** The key that chose the section's credentials, or aws_role_name for a Bedrock API key a role cannot use. */
  because: LlmKey;
}

export function envVariableFor(key: string): string {
  return `LLM_${key.toUpperCase()}`;
}

function parseEnvValue(key: string, text: string, variable: string, locator: Locator): unknown {
  const spec = LLM_KEYS[key];
  if (!spec) return text;
  const fail = (why: string) => locator.inEnv(variable, `llm.${key}`, why);
  switch (spec.kind) {
    case "number":
    case "integer": {
      const number = Number(text.trim());
      if (text.trim() === "" || Number.isNaN(number)) throw fail(`"${text}" is not a number: must be ${spec.expects}`);
      return number;
    }
    case "boolean": {
      const lowered = text.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(lowered)) return true;
      if (["false", "0", "no", "off"].includes(lowered)) return false;
      throw fail(`"${text}" is not a boolean: must be true or false`);
    }
    case "string-array":
      return text
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    case "table":
      try {
        return JSON.parse(text);
      } catch {
        throw fail(`is not a JSON object: must be ${spec.expects}, written as JSON`);
      }
    default:
      return text;
  }
}

/** Applies LLM_<KEY> variables over the [llm] layer, validating each. */
export function overlayLlmEnv(layer: Layer, env: Env, locator: Locator): Layer {
  const values = { ...layer.values };
  const provenance = { ...layer.provenance };
  const variables = { ...layer.variables };
  for (const [key, spec] of Object.entries(LLM_KEYS)) {
    const variable = envVariableFor(key);
    const text = env[variable];
    if (text === undefined || text === "") continue;
    const value = parseEnvValue(key, text, variable, locator);
    const problem = checkValue(`llm.${key}`, value, spec);
    if (problem) throw locator.inEnv(variable, `llm.${key}`, problem.message);
    values[key] = value;
    provenance[key] = "env";
    variables[key] = variable;
  }
  return { values, provenance, variables };
}

function isSet(env: Env, variable: string): boolean {
  return env[variable] !== undefined && env[variable] !== "";
}

/** Fills `key` from the first of its AWS_* variables that is set, unless the section has a value. */
function setFromEnv(layer: Layer, key: LlmKey, env: Env): void {
  if (layer.values[key] !== undefined) return;
  const variable = LLM_KEYS[key]?.awsEnv?.find((name) => isSet(env, name));
  if (variable === undefined) return;
  layer.values[key] = env[variable];
  layer.provenance[key] = "env";
  layer.variables[key] = variable;
}

/** The AWS_* credential variables that are set and would give a key a value other than the section's. */
function unusedCredentialVariables(layer: Layer, env: Env, keys: readonly LlmKey[]): string[] {
  const unused: string[] = [];
  for (const key of keys) {
    for (const variable of LLM_KEYS[key]?.awsEnv ?? []) {
      if (isSet(env, variable) && env[variable] !== layer.values[key]) unused.push(variable);
    }
  }
  return unused;
}

/**
 * Fills unset settings from AWS_* variables, in place. Endpoints and region always; credentials only when the
 * section chose no credential source, and then one source only: a Bedrock API key, else access keys, else a profile.
 * Returns the credential variables left unused because of a choice the configuration made.
 */
export function fillFromAwsEnv(layer: Layer, env: Env): IgnoredVariables | undefined {
  for (const key of LLM_KEY_NAMES) {
    if (LLM_KEYS[key]?.credential === undefined) setFromEnv(layer, key, env);
  }
  const chosen = credentialSources(layer.values)[0];
  if (chosen !== undefined) {
    const variables = unusedCredentialVariables(layer, env, CREDENTIAL_SOURCE_KEYS);
    return variables.length > 0 ? { variables, because: chosen.key } : undefined;
  }
  const available = (key: LlmKey) => LLM_KEYS[key]?.awsEnv?.some((variable) => isSet(env, variable)) === true;
  const roleChosen = layer.values.aws_role_name !== undefined;
  if (available("aws_bearer_token") && !roleChosen) {
    setFromEnv(layer, "aws_bearer_token", env);
  } else if (available("aws_access_key_id") && available("aws_secret_access_key")) {
    setFromEnv(layer, "aws_access_key_id", env);
    setFromEnv(layer, "aws_secret_access_key", env);
    setFromEnv(layer, "aws_session_token", env);
  } else {
    setFromEnv(layer, "aws_profile_name", env);
  }
  if (roleChosen && available("aws_bearer_token")) {
    return { variables: unusedCredentialVariables(layer, env, ["aws_bearer_token"]), because: "aws_role_name" };
  }
  return undefined;
}
