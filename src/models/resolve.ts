/**
 * Cross-region resolution: model + region + cross_region_target -> the modelId actually sent, with capabilities.
 * Rules (https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html): a profile id carries
 * its geography as a prefix; the caller's region must be a source region of that geography; a model only has the
 * profiles AWS defines for it.
 */
import { ConfigError } from "../errors.js";
import { geographiesForRegion, homeGeography } from "./geography.js";
import { applyOverrides, inferModel } from "./infer.js";
import { lookupModel } from "./lookup.js";
import { parseModelId } from "./parse.js";
import { closestModelId } from "./suggest.js";
import type { CrossRegionTarget, Geography, ModelInfo, ParsedModelId, ResolvedModel, ResolveInput } from "./types.js";

export interface ResolveOptions {
  /** "Now" for lifecycle notices; defaults to the current time. */
  now?: Date;
}

const DAY_MS = 86_400_000;
/** How far ahead an end-of-life date is announced. */
const EOL_WARNING_DAYS = 90;

function findInfo(parsed: ParsedModelId, config: ResolveInput, notices: string[]): { info: ModelInfo; known: boolean } {
  if (config.base_model !== undefined) {
    const base = lookupModel(config.base_model);
    if (!base) {
      throw new ConfigError(
        `base_model "${config.base_model}" is not in the model registry: use a base model id listed by ` +
          "`bedrock-llm models` (e.g. anthropic.claude-sonnet-4-5-20250929-v1:0), or describe the model with a [capabilities] table",
        { key: "base_model" },
      );
    }
    return { info: { ...base, id: parsed.baseId ?? parsed.raw }, known: true };
  }
  const found = parsed.baseId === undefined ? undefined : lookupModel(parsed.baseId);
  if (found) return { info: found, known: true };

  const { info, from } = inferModel(parsed.baseId, parsed.baseId ?? parsed.raw);
  if (config.capabilities === undefined) {
    const what =
      parsed.kind === "application-profile-arn"
        ? "is an application inference profile, which hides its base model"
        : `is not in the model registry`;
    const how = from ? `capabilities inferred from ${from}` : "conservative text-only capabilities assumed";
    const closest = parsed.baseId === undefined ? undefined : closestModelId(parsed.baseId);
    const fix = closest
      ? `Did you mean ${parsed.kind === "profile" ? `${parsed.geography}.` : ""}${closest}? Otherwise set base_model`
      : "Set base_model";
    notices.push(
      `model "${parsed.raw}" ${what}: ${how}, no price known. ${fix} = "<registry id>" or a [capabilities] table to be exact.`,
    );
  }
  return { info, known: false };
}

function lifecycleNotices(info: ModelInfo, now: Date, notices: string[]): void {
  if (info.endOfLifeDate) {
    const days = Math.ceil((Date.parse(info.endOfLifeDate) - now.getTime()) / DAY_MS);
    if (days <= 0) {
      notices.push(
        `${info.name} reached end of life on ${info.endOfLifeDate}: Bedrock refuses calls to it; migrate to a newer model.`,
      );
      return;
    }
    if (days <= EOL_WARNING_DAYS) {
      notices.push(
        `${info.name} reaches end of life on ${info.endOfLifeDate} (in ${days} days): migrate to a newer model.`,
      );
      return;
    }
  }
  if (info.lifecycle === "legacy") {
    const eol = info.endOfLifeDate ? `, end of life ${info.endOfLifeDate}` : "";
    notices.push(`${info.name} is a legacy model${eol}: plan a migration to a newer model.`);
  } else if (info.lifecycle === "end_of_life") {
    notices.push(`${info.name} has reached end of life: Bedrock refuses calls to it; migrate to a newer model.`);
  }
}

function regionFits(region: string | undefined, geography: Geography): boolean {
  return region === undefined || geographiesForRegion(region).includes(geography);
}

function regionMismatch(region: string, geography: Geography, what: string, key: string): ConfigError {
  const fits = geographiesForRegion(region);
  const fix = fits.length > 0 ? `use one of: ${fits.join(", ")}` : "this region has no cross-region profiles";
  return new ConfigError(
    `${what} uses the "${geography}" geography, but aws_region_name ${region} is not a source region of "${geography}" profiles: ${fix}, or choose a region in that geography`,
    { key },
  );
}

function checkProfileExists(info: ModelInfo, known: boolean, geography: Geography, key: string): void {
  if (!known || info.geographies.includes(geography)) return;
  const has =
    info.geographies.length > 0 ? `its profiles are: ${info.geographies.join(", ")}` : "it has no cross-region profile";
  throw new ConfigError(`${info.name} has no "${geography}" inference profile: ${has}`, { key });
}

/** The cross_region_target to suggest for a region, preferring the region's own geography over global. */
function suggestTarget(info: ModelInfo, region: string | undefined): CrossRegionTarget | undefined {
  const candidates = region === undefined ? info.geographies : geographiesForRegion(region);
  const home = region === undefined ? undefined : homeGeography(region);
  const ordered = home ? [home, ...candidates.filter((g) => g !== home)] : candidates;
  return ordered.find((g) => info.geographies.includes(g));
}

function sentIdFor(
  parsed: ParsedModelId,
  info: ModelInfo,
  known: boolean,
  config: ResolveInput,
  notices: string[],
): string {
  const region = config.aws_region_name;
  const target = config.cross_region_target;
  switch (parsed.kind) {
    case "foundation": {
      const baseId = parsed.baseId ?? parsed.raw;
      // [llm]'s cross_region_target is for its chat model: an embedding model served on demand without that
      // profile is called by its plain id.
      const plainEmbedder = info.kind === "embedding" && info.onDemand && !info.geographies.some((g) => g === target);
      if (target !== undefined && !plainEmbedder) {
        if (!regionFits(region, target))
          throw regionMismatch(region as string, target, `cross_region_target "${target}"`, "cross_region_target");
        checkProfileExists(info, known, target, "cross_region_target");
        return `${target}.${baseId}`;
      }
      if (known && !info.onDemand) {
        const suggestion = suggestTarget(info, region);
        const fix = suggestion
          ? `set cross_region_target = "${suggestion}"`
          : `use a profile id (${info.geographies.map((g) => `${g}.`).join(", ")})`;
        notices.push(
          `${info.name} is not served on demand by its plain id; Bedrock needs an inference profile: ${fix}.`,
        );
      }
      return baseId;
    }
    case "profile": {
      const geography = parsed.geography as Geography;
      if (target !== undefined && target !== geography) {
        throw new ConfigError(
          `cross_region_target "${target}" contradicts the model's own profile prefix "${geography}." in "${parsed.raw}": remove cross_region_target or use the plain model id`,
          { key: "cross_region_target" },
        );
      }
      if (!regionFits(region, geography))
        throw regionMismatch(region as string, geography, `model "${parsed.raw}"`, "model");
      checkProfileExists(info, known, geography, "model");
      return parsed.raw;
    }
    default: {
      if (target !== undefined && !(parsed.kind === "profile-arn" && parsed.geography === target)) {
        throw new ConfigError(
          `cross_region_target "${target}" cannot apply to an ARN ("${parsed.raw}"): the ARN already names what is called; remove cross_region_target`,
          { key: "cross_region_target" },
        );
      }
      if (parsed.arnRegion !== undefined && region !== undefined && parsed.arnRegion !== region) {
        throw new ConfigError(
          `model ARN is in region ${parsed.arnRegion} but aws_region_name is ${region}: call from ${parsed.arnRegion} or use that region's ARN`,
          { key: "model" },
        );
      }
      if (parsed.kind === "profile-arn" && parsed.geography && !regionFits(region, parsed.geography)) {
        throw regionMismatch(region as string, parsed.geography, `model "${parsed.raw}"`, "model");
      }
      return parsed.raw;
    }
  }
}

/** Model + region + cross_region_target -> the id actually sent, with capabilities. Throws ConfigError. */
export function resolveModel(config: ResolveInput, options: ResolveOptions = {}): ResolvedModel {
  const parsed = parseModelId(config.model);
  const notices: string[] = [];
  const { info: found, known } = findInfo(parsed, config, notices);
  const info = applyOverrides(found, config.capabilities);
  const sentId = sentIdFor(parsed, info, known, config, notices);
  lifecycleNotices(info, options.now ?? new Date(), notices);
  return { parsed, sentId, info, known, notices };
}
