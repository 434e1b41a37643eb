import type { LLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { defaultProfileName, readProfile, sharedFilePaths } from "./profile-files.js";

type Env = Record<string, string | undefined>;

/**
 * The region as AWS tools find it: aws_region_name, AWS_REGION, AWS_DEFAULT_REGION, then the `region` of the
 * profile in use. Never a silent default: a request signed for the wrong region fails in confusing ways.
 */
export function resolveRegion(config: LLMConfig, env: Env = process.env): string {
  const explicit = config.aws_region_name || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;
  const profile = config.aws_profile_name || defaultProfileName(env);
  const fromProfile = readProfile(profile, env)?.region;
  if (fromProfile) return fromProfile;
  const paths = sharedFilePaths(env);
  throw new ConfigError(
    `No AWS region for [${sectionLabel(config.section)}]: looked at aws_region_name, AWS_REGION, AWS_DEFAULT_REGION ` +
      `and the region of profile "${profile}" in ${paths.configFile} and ${paths.credentialsFile}. ` +
      `Set aws_region_name (e.g. "us-east-1") in the configuration.`,
    { key: "aws_region_name" },
  );
}

/** "llm" or "llm.NAME"; a hand-built configuration without `section` is [llm]. */
export function sectionLabel(section: string | undefined): string {
  return section === "llm" || !section ? "llm" : `llm.${section}`;
}
