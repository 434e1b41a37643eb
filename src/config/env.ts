/**
 * The environment's two roles. LLM_<KEY> variables override [llm] (before named sections inherit from it), so
 * deployments can change a setting without editing the file. AWS_* variables only fill what a section leaves
 * unset, the way the AWS SDK would, and credentials from the environment never replace an authentication
 * method the file chose.
 */
import type { Env } from "./aws-shared-files.js";
import { checkValue } from "./check-value.js";
import { LLM_KEYS } from "./keys.js";
import type { Locator } from "./locate.js";

export type Provenance = "file" | "inherited" | "env" | "aws-config" | "default";

/** A section's raw values and where each came from. */
export interface Layer {
  values: Record<string, unknown>;
  provenance: Record<string, Provenance>;
  /** For values taken from the environment: the variable's name, to point at it in errors. */
  variables: Record<string, string>;
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
  for (const key of Object.keys(LLM_KEYS)) {
    const variable = envVariableFor(key);
    const text = env[variable];
    if (text === undefined || text === "") continue;
    const value = parseEnvValue(key, text, variable, locator);
    const spec = LLM_KEYS[key];
    const problem = spec ? checkValue(`llm.${key}`, key, value, spec) : undefined;
    if (problem) throw locator.inEnv(variable, `llm.${key}`, problem.message);
    values[key] = value;
    provenance[key] = "env";
    variables[key] = variable;
  }
  return { values, provenance, variables };
}

function setFromEnv(layer: Layer, key: string, env: Env, ...variables: string[]): void {
  if (layer.values[key] !== undefined) return;
  const variable = variables.find((name) => env[name] !== undefined && env[name] !== "");
  if (variable === undefined) return;
  layer.values[key] = env[variable];
  layer.provenance[key] = "env";
  layer.variables[key] = variable;
}

/** True when the section itself picked where credentials come from. */
export function choosesCredentialSource(values: Record<string, unknown>): boolean {
  return (
    values.aws_access_key_id !== undefined ||
    values.aws_secret_access_key !== undefined ||
    values.aws_profile_name !== undefined ||
    values.aws_web_identity_token !== undefined ||
    values.aws_bearer_token !== undefined
  );
}

/**
 * Fills unset settings from AWS_* variables, in place. Endpoints and region always; credentials only when the
 * section chose no credential source, and then one source only: a Bedrock API key, else access keys, else a profile.
 */
export function fillFromAwsEnv(layer: Layer, env: Env): void {
  setFromEnv(layer, "aws_region_name", env, "AWS_REGION", "AWS_DEFAULT_REGION");
  setFromEnv(layer, "aws_bedrock_runtime_endpoint", env, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  setFromEnv(layer, "aws_sts_endpoint", env, "AWS_ENDPOINT_URL_STS");
  if (choosesCredentialSource(layer.values)) return;
  const roleChosen = layer.values.aws_role_name !== undefined;
  if (env.AWS_BEARER_TOKEN_BEDROCK && !roleChosen) {
    setFromEnv(layer, "aws_bearer_token", env, "AWS_BEARER_TOKEN_BEDROCK");
  } else if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    setFromEnv(layer, "aws_access_key_id", env, "AWS_ACCESS_KEY_ID");
    setFromEnv(layer, "aws_secret_access_key", env, "AWS_SECRET_ACCESS_KEY");
    setFromEnv(layer, "aws_session_token", env, "AWS_SESSION_TOKEN");
  } else {
    setFromEnv(layer, "aws_profile_name", env, "AWS_PROFILE");
  }
}
