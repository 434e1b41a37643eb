/**
 * Regions and the geographies of Bedrock's system-defined cross-region inference profiles.
 * A profile id is the model id prefixed with its geography ("us.", "eu.", "jp." ...); the caller's region must be
 * one of the profile's source regions, which AWS's model cards list per geography:
 *   us.     us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1
 *   eu.     eu-central-1/2, eu-north-1, eu-south-1/2, eu-west-1/2/3 (il-central-1 for some models)
 *   apac.   ap-northeast-1/2/3, ap-south-1/2, ap-southeast-1/2 (and more Asia Pacific regions for newer models)
 *   jp.     ap-northeast-1, ap-northeast-3
 *   au.     ap-southeast-2, ap-southeast-4, ap-southeast-6
 *   us-gov. us-gov-east-1, us-gov-west-1
 *   global. every commercial region (not GovCloud, not China)
 * Sources: https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 *          https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html and the model cards.
 */
import type { CrossRegionTarget, Geography } from "./types.js";

/** Every geography of a system-defined profile the registry knows, in the order messages list them. */
export const GEOGRAPHIES = ["us", "eu", "apac", "us-gov", "global", "jp", "au"] as const;

/** Every profile prefix, longest first so "us-gov." is not read as "us.". */
export const GEOGRAPHY_PREFIXES: readonly Geography[] = [...GEOGRAPHIES].sort((a, b) => b.length - a.length);

/** The geographies a user may name in cross_region_target: every one the registry knows, country-scoped included. */
export const CROSS_REGION_TARGETS: readonly CrossRegionTarget[] = GEOGRAPHIES;

/** Regions with a country-scoped profile (jp., au.) beside the wider apac. one. */
const COUNTRY_REGIONS: Record<string, Geography> = {
  "ap-northeast-1": "jp",
  "ap-northeast-3": "jp",
  "ap-southeast-2": "au",
  "ap-southeast-4": "au",
  "ap-southeast-6": "au",
};

/** The regional (non-global) geography whose profiles a region's requests may use, if any. */
export function homeGeography(region: string): Geography | undefined {
  if (region.startsWith("us-gov-")) return "us-gov";
  if (region.startsWith("us-") || region.startsWith("ca-")) return "us";
  if (region.startsWith("eu-") || region === "il-central-1") return "eu";
  if (region.startsWith("ap-")) return "apac";
  return undefined;
}

/** True for partitions where Bedrock's global profiles are offered (not GovCloud, China or ISO). */
function isCommercialRegion(region: string): boolean {
  return !region.startsWith("us-gov-") && !region.startsWith("cn-") && !region.startsWith("us-iso");
}

/** The geographies whose profiles a caller in `region` may use, most specific first. */
export function geographiesForRegion(region: string): Geography[] {
  const result: Geography[] = [];
  const country = COUNTRY_REGIONS[region];
  if (country) result.push(country);
  const home = homeGeography(region);
  if (home) result.push(home);
  if (isCommercialRegion(region)) result.push("global");
  return result;
}
