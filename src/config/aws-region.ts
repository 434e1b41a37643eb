/**
 * The one rule for the AWS region, used when a configuration is loaded (to fill aws_region_name and record where
 * it came from) and by auth for hand-built configurations: aws_region_name, then AWS_REGION, then
 * AWS_DEFAULT_REGION, then the `region` of the profile in use (aws_profile_name, else AWS_PROFILE, else "default")
 * in the AWS config file. Never a silent default: a request signed for the wrong region fails in confusing ways.
 */
import { type Env, profileNameFor, profileRegion, sharedFilePaths } from "./aws-shared-files.js";

/** The settings the region depends on. */
export interface RegionSettings {
  aws_region_name?: string | undefined;
  aws_profile_name?: string | undefined;
}

/** Where a region came from, in the configuration's provenance words ("setting": aws_region_name itself). */
export type RegionSource = "setting" | "env" | "aws-config";

export interface RegionLookup {
  /** Undefined when no place had one. */
  region?: string;
  source?: RegionSource;
  /** The variable, when the region came from the environment. */
  variable?: "AWS_REGION" | "AWS_DEFAULT_REGION";
  /** The profile whose region was looked for, and the file it was looked for in (for messages). */
  profile: string;
  configFile: string;
}

const REGION_VARIABLES = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

export function findRegion(settings: RegionSettings, env: Env = process.env): RegionLookup {
  const profile = profileNameFor(settings.aws_profile_name, env);
  const where = { profile, configFile: sharedFilePaths(env).configFile };
  if (settings.aws_region_name) return { region: settings.aws_region_name, source: "setting", ...where };
  for (const variable of REGION_VARIABLES) {
    const region = env[variable];
    if (region) return { region, source: "env", variable, ...where };
  }
  const region = profileRegion(profile, env);
  return region ? { region, source: "aws-config", ...where } : where;
}
