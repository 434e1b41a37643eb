/**
 * Application inference profiles hide their model behind an ARN. GetInferenceProfile on the Bedrock control plane
 * names the model(s) behind it, from which capabilities, cache rules and prices follow (the registry entry of the
 * base model). Looked up once per process and ARN; a configured base_model still overrides, and a lookup that
 * fails leaves the model inferred, with a notice saying why.
 */
import { getInferenceProfile, resolveAuth } from "../auth/index.js";
import type { ResolvedAuth } from "../auth/types.js";
import type { LLMConfig } from "../config/types.js";
import { lookupModel, parseModelId } from "../models/index.js";

export interface ApplicationProfileResolution {
  arn: string;
  /** The profile's name, as GetInferenceProfile reports it. */
  name?: string;
  /** Foundation-model ARNs behind the profile (one per region of a cross-region profile). */
  modelArns: string[];
  /** The base model id they share, when the registry knows it. */
  baseModel?: string;
  /** Why the profile could not be resolved, when it could not. */
  error?: string;
}

/** Successful lookups, per process: profiles do not change model once created. */
const resolved = new Map<string, Promise<ApplicationProfileResolution>>();

/** The application profile ARN a configuration's model names, if it names one and no base_model overrides it. */
export function applicationProfileArn(config: Pick<LLMConfig, "model" | "base_model">): string | undefined {
  if (config.base_model !== undefined) return undefined;
  const parsed = parseModelId(config.model);
  return parsed.kind === "application-profile-arn" ? parsed.raw : undefined;
}

function baseModelOf(modelArns: readonly string[]): string | undefined {
  const ids = new Set(modelArns.map((arn) => arn.slice(arn.indexOf("foundation-model/") + "foundation-model/".length)));
  const [first] = ids;
  return ids.size === 1 && first !== undefined && lookupModel(first) ? first : undefined;
}

async function lookUp(config: LLMConfig, auth: ResolvedAuth, arn: string): Promise<ApplicationProfileResolution> {
  const profile = await getInferenceProfile(config, auth, arn);
  const modelArns = (profile.models ?? []).map((m) => m.modelArn ?? "").filter((a) => a.includes("foundation-model/"));
  const result: ApplicationProfileResolution = { arn, modelArns };
  if (profile.inferenceProfileName !== undefined) result.name = profile.inferenceProfileName;
  const base = baseModelOf(modelArns);
  if (base !== undefined) result.baseModel = base;
  return result;
}

/**
 * Resolves `arn` through GetInferenceProfile with the configuration's credentials (or `auth`, already resolved)
 * and aws_bedrock_endpoint. Never throws: a failure is reported in `error`.
 */
export async function resolveApplicationProfile(
  arn: string,
  config: LLMConfig,
  auth?: ResolvedAuth,
): Promise<ApplicationProfileResolution> {
  const key = `${config.aws_bedrock_endpoint ?? ""}|${arn}`;
  const cached = resolved.get(key);
  if (cached) return cached;
  let pending: Promise<ApplicationProfileResolution>;
  try {
    pending = lookUp(config, auth ?? resolveAuth(config), arn);
  } catch (error) {
    pending = Promise.reject(error);
  }
  resolved.set(key, pending);
  try {
    return await pending;
  } catch (error) {
    resolved.delete(key);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { arn, modelArns: [], error: reason };
  }
}

/** What `check` and the notices say about a resolution. */
export function describeResolution(resolution: ApplicationProfileResolution): string {
  const name = resolution.name ? ` ("${resolution.name}")` : "";
  if (resolution.error)
    return `application inference profile ${resolution.arn} could not be resolved (${resolution.error})`;
  if (resolution.baseModel) {
    return `application inference profile ${resolution.arn}${name} runs ${resolution.baseModel} (GetInferenceProfile)`;
  }
  const models = resolution.modelArns.join(", ") || "no foundation model";
  return `application inference profile ${resolution.arn}${name} runs ${models}, which the registry does not know`;
}
