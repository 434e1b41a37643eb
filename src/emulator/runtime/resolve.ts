/**
 * Model identifier resolution as Bedrock does it: plain foundation-model ids, cross-region inference profile ids
 * (geography prefix + model id), and the ARNs of both. A profile only exists in the regions of its geography.
 */
import { validation } from "./errors.js";
import type { ApplicationProfile } from "./inference-profiles.js";
import { findModel, type Geography, type ModelSpec } from "./models.js";

export interface ResolvedModel {
  spec: ModelSpec;
  /** The id as the caller sent it (ARN or id). */
  requested: string;
  /** Geography of the inference profile used, if any. */
  profile?: Geography;
}

const INVALID_ID = "The provided model identifier is invalid.";
const PROFILE_PREFIXES: readonly Geography[] = ["us-gov", "global", "apac", "us", "eu", "jp", "au"];
const ARN =
  /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]*):(\d*):(foundation-model|inference-profile|application-inference-profile)\/(.+)$/;

/** Geographies whose profiles a caller in `region` may use. */
export function geographiesOf(region: string): Geography[] {
  if (region.startsWith("us-gov-")) return ["us-gov"];
  const result: Geography[] = ["global"];
  if (region.startsWith("us-") || region.startsWith("ca-")) result.push("us");
  else if (region.startsWith("eu-")) result.push("eu");
  else if (region.startsWith("ap-")) result.push("apac");
  if (region === "ap-northeast-1" || region === "ap-northeast-3") result.push("jp");
  if (region === "ap-southeast-2" || region === "ap-southeast-4") result.push("au");
  return result;
}

/**
 * `invokes: false` for CountTokens, which names the foundation model and runs nothing: the on-demand rule does not
 * apply there. An application inference profile ARN resolves to the model the profile was created from
 * (`applicationProfiles`, from the control API); one the emulator does not have is an invalid identifier.
 */
export function resolveModel(
  modelId: string | undefined,
  region: string,
  invokes = true,
  applicationProfiles: ReadonlyMap<string, ApplicationProfile> = new Map(),
): ResolvedModel {
  if (!modelId) throw validation(INVALID_ID);
  let id = modelId;
  let viaProfileArn = false;
  const arn = ARN.exec(modelId);
  if (arn) {
    // An ARN names a resource of one region: another region's resource does not exist here.
    if (arn[1] && arn[1] !== region) throw validation(INVALID_ID);
    if (arn[3] === "application-inference-profile") {
      const profile = applicationProfiles.get(arn[4] ?? "");
      const spec = profile && profile.accountId === arn[2] ? findModel(profile.modelId) : undefined;
      if (!spec) throw validation(INVALID_ID);
      return { spec, requested: modelId };
    }
    id = arn[4] ?? "";
    viaProfileArn = arn[3] === "inference-profile";
  }
  const prefix = PROFILE_PREFIXES.find((g) => id.startsWith(`${g}.`));
  if (prefix) {
    const spec = findModel(id.slice(prefix.length + 1));
    if (!spec?.profiles.includes(prefix) || !geographiesOf(region).includes(prefix)) {
      throw validation(INVALID_ID);
    }
    return { spec, requested: modelId, profile: prefix };
  }
  const spec = findModel(id);
  if (!spec || viaProfileArn) throw validation(INVALID_ID);
  if (!spec.onDemand && invokes) {
    throw validation(
      `Invocation of model ID ${spec.id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
    );
  }
  return { spec, requested: modelId };
}
