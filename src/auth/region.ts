import { findRegion, type RegionSettings } from "../config/aws-region.js";
import type { Env } from "../config/aws-shared-files.js";
import { ConfigError } from "../errors.js";

/** What the region depends on, and the section to name when there is none. */
export interface RegionInput extends RegionSettings {
  section?: string | undefined;
}

/**
 * The region by the configuration's own rule (src/config/aws-region.ts): aws_region_name, AWS_REGION,
 * AWS_DEFAULT_REGION, then the `region` of the profile in use. A loaded configuration already has it; a
 * hand-built one is looked up here. Never a silent default.
 */
export function resolveRegion(config: RegionInput, env: Env = process.env): string {
  const found = findRegion(config, env);
  if (found.region) return found.region;
  throw new ConfigError(
    `No AWS region for [${sectionLabel(config.section)}]: looked at aws_region_name, AWS_REGION, AWS_DEFAULT_REGION ` +
      `and the region of profile "${found.profile}" in ${found.configFile}. ` +
      `Set aws_region_name (e.g. "us-east-1") in the configuration.`,
    { key: "aws_region_name" },
  );
}

/** "llm" or "llm.NAME"; a hand-built configuration without `section` is [llm]. */
export function sectionLabel(section: string | undefined): string {
  return section === "llm" || !section ? "llm" : `llm.${section}`;
}
