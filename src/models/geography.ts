/**
 * Regions and the geographies of Bedrock's system-defined cross-region inference profiles.
 * A profile id is the model id prefixed with its geography ("us.", "eu.", ...); the caller's region must be one
 * of the profile's source regions, which AWS groups by geography.
 * Source: https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 *         https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html
 */
import type { Geography } from "./types.js";

/** Every profile prefix AWS uses, longest first so "us-gov." is not read as "us.". */
export const GEOGRAPHY_PREFIXES: readonly Geography[] = ["us-gov", "global", "apac", "us", "eu", "jp", "au"];

/** The geographies a user may name in cross_region_target. */
export const CROSS_REGION_TARGETS = ["us", "eu", "apac", "us-gov", "global"] as const;

/** Regions whose country-scoped profiles (jp., au.) exist beside the wider apac. ones. */
const COUNTRY_REGIONS: Record<string, Geography> = {
  "ap-northeast-1": "jp",
  "ap-northeast-3": "jp",
  "ap-southeast-2": "au",
  "ap-southeast-4": "au",
};

/** True for partitions where Bedrock's global profiles are not offered (GovCloud, China, ISO). */
function isCommercialRegion(region: string): boolean {
  return !region.startsWith("us-gov-") && !region.startsWith("cn-") && !region.startsWith("us-iso");
}

/**
 * The geographies whose profiles a caller in `region` may use, most specific first.
 * us-* and ca-* -> us (AWS lists ca-central-1 as a source region of several US profiles);
 * eu-* -> eu; ap-* -> apac plus jp / au where AWS has country profiles; us-gov-* -> us-gov only;
 * every commercial region -> global.
 */
export function geographiesForRegion(region: string): Geography[] {
  const result: Geography[] = [];
  const country = COUNTRY_REGIONS[region];
  if (country) result.push(country);
  if (region.startsWith("us-gov-")) return ["us-gov"];
  if (region.startsWith("us-") || region.startsWith("ca-")) result.push("us");
  else if (region.startsWith("eu-")) result.push("eu");
  else if (region.startsWith("ap-")) result.push("apac");
  if (isCommercialRegion(region)) result.push("global");
  return result;
}

/** The regional (non-global) geography that a region's requests stay in, if Bedrock has one for it. */
export function homeGeography(region: string): Geography | undefined {
  if (region.startsWith("us-gov-")) return "us-gov";
  if (region.startsWith("us-") || region.startsWith("ca-")) return "us";
  if (region.startsWith("eu-")) return "eu";
  if (region.startsWith("ap-")) return "apac";
  return undefined;
}

/** Shape check for an AWS region name (e.g. "us-east-1", "us-gov-west-1", "eu-central-2"). */
export function looksLikeRegion(region: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region);
}
