/**
 * Model id parsing: what follows "bedrock/" may be a foundation-model id, a cross-region profile id
 * ("us.anthropic..."), or an ARN (foundation model, inference profile, application inference profile, other).
 * ARN format: https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-use.html
 */
import { ConfigError } from "../errors.js";
import { GEOGRAPHY_PREFIXES } from "./geography.js";
import type { Geography, ParsedModelId } from "./types.js";

export const BEDROCK_PREFIX = "bedrock/";

const ARN_PATTERN = /^arn:(aws[a-z-]*):bedrock:([a-z0-9-]*):(\d{12})?:([a-z-]+)\/(.+)$/;

/** Splits "us.anthropic.claude-..." into its geography and base id; undefined when there is no prefix. */
export function splitGeography(id: string): { geography: Geography; baseId: string } | undefined {
  for (const geography of GEOGRAPHY_PREFIXES) {
    const prefix = `${geography}.`;
    // A profile id is "<geo>.<provider>.<model>": the rest must itself contain a provider dot.
    if (id.startsWith(prefix) && id.indexOf(".", prefix.length) > prefix.length) {
      return { geography, baseId: id.slice(prefix.length) };
    }
  }
  return undefined;
}

function parseArn(raw: string): ParsedModelId {
  const match = ARN_PATTERN.exec(raw);
  if (!match) {
    throw new ConfigError(
      `model "${raw}" is not a valid Bedrock ARN: expected arn:aws:bedrock:REGION:ACCOUNT:RESOURCE-TYPE/ID, ` +
        "e.g. arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
      { key: "model" },
    );
  }
  const [, , region, , resourceType, resourceId] = match as unknown as [string, string, string, string, string, string];
  const arnRegion = region === "" ? undefined : region;
  switch (resourceType) {
    case "foundation-model":
      return { raw, kind: "foundation-arn", baseId: resourceId, arnRegion };
    case "inference-profile": {
      const split = splitGeography(resourceId);
      return split
        ? { raw, kind: "profile-arn", baseId: split.baseId, geography: split.geography, arnRegion }
        : { raw, kind: "profile-arn", baseId: resourceId, arnRegion };
    }
    case "application-inference-profile":
      return { raw, kind: "application-profile-arn", arnRegion };
    default:
      return { raw, kind: "other-arn", arnRegion };
  }
}

/** Parses what follows "bedrock/" (or a whole "bedrock/..." string). Throws ConfigError when empty or malformed. */
export function parseModelId(model: string): ParsedModelId {
  const raw = (model.startsWith(BEDROCK_PREFIX) ? model.slice(BEDROCK_PREFIX.length) : model).trim();
  if (raw === "") {
    throw new ConfigError(`model "${model}" names no model: use "bedrock/<model id>"`, { key: "model" });
  }
  if (raw.startsWith("arn:")) return parseArn(raw);
  if (/[/\s]/.test(raw)) {
    // Only ARNs contain "/" (and no Bedrock id has spaces): "openai/gpt-4o" is another provider's name.
    throw new ConfigError(
      `model "${model}" is not a Bedrock model id: use "bedrock/<Bedrock model id>", e.g. "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"`,
      { key: "model" },
    );
  }
  const split = splitGeography(raw);
  if (split) return { raw, kind: "profile", baseId: split.baseId, geography: split.geography };
  return { raw, kind: "foundation", baseId: raw };
}
