import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { type ResolveInput, resolveModel } from "../../src/models/index.js";

const SONNET_37 = "anthropic.claude-3-7-sonnet-20250219-v1:0"; // profiles: us, eu, apac, us-gov
const OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"; // profiles: us
const SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"; // profiles: global, us, eu, jp, au, us-gov
const TITAN = "amazon.titan-text-express-v1"; // no profiles

/** Profiles each model has, written out by hand from the AWS pages (not read from the registry). */
const PROFILES: Record<string, string[]> = {
  [SONNET_37]: ["us", "eu", "apac", "us-gov"],
  [OPUS_41]: ["us"],
  [SONNET_45]: ["global", "us", "eu", "jp", "au", "us-gov"],
  [TITAN]: [],
};

/** Targets a caller in each region may use, written out by hand. */
const REGION_TARGETS: Record<string, string[]> = {
  "us-east-1": ["us", "global"],
  "us-west-2": ["us", "global"],
  "ca-central-1": ["us", "global"],
  "eu-west-1": ["eu", "global"],
  "eu-central-1": ["eu", "global"],
  "ap-northeast-1": ["jp", "apac", "global"],
  "ap-southeast-2": ["au", "apac", "global"],
  "ap-south-1": ["apac", "global"],
  "us-gov-west-1": ["us-gov"],
  "sa-east-1": ["global"],
};

const TARGETS = ["us", "eu", "apac", "us-gov", "global", "jp", "au"] as const;

function resolve(input: Partial<ResolveInput> & { model: string }, now?: Date) {
  return resolveModel({ aws_region_name: "us-east-1", ...input }, now ? { now } : {});
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("cross-region resolution: regions x targets x models", () => {
  const cases = Object.entries(REGION_TARGETS).flatMap(([region, fits]) =>
    TARGETS.flatMap((target) => Object.keys(PROFILES).map((model) => ({ region, target, model, fits }))),
  );

  it.each(cases)("$model from $region with target $target", ({ region, target, model, fits }) => {
    const run = () => resolve({ model: `bedrock/${model}`, aws_region_name: region, cross_region_target: target });
    if (!fits.includes(target)) {
      const error = errorOf(run);
      expect(error.key).toBe("cross_region_target");
      expect(error.message).toContain(`aws_region_name ${region} is not a source region of "${target}" profiles`);
    } else if (!(PROFILES[model] as string[]).includes(target)) {
      const error = errorOf(run);
      expect(error.key).toBe("cross_region_target");
      expect(error.message).toMatch(new RegExp(`has no "${target}" inference profile`));
    } else {
      expect(run().sentId).toBe(`${target}.${model}`);
    }
  });
});

describe("profile ids and ARNs", () => {
  it("sends a profile id unchanged when the region fits", () => {
    expect(resolve({ model: `bedrock/eu.${SONNET_37}`, aws_region_name: "eu-central-1" }).sentId).toBe(
      `eu.${SONNET_37}`,
    );
    expect(resolve({ model: `bedrock/jp.${SONNET_45}`, aws_region_name: "ap-northeast-1" }).sentId).toBe(
      `jp.${SONNET_45}`,
    );
  });

  it("refuses a target that contradicts the profile prefix", () => {
    const error = errorOf(() => resolve({ model: `bedrock/eu.${SONNET_37}`, cross_region_target: "us" }));
    expect(error.key).toBe("cross_region_target");
    expect(error.message).toContain('contradicts the model\'s own profile prefix "eu."');
  });

  it("accepts a target equal to the profile prefix", () => {
    expect(resolve({ model: `bedrock/us.${SONNET_37}`, cross_region_target: "us" }).sentId).toBe(`us.${SONNET_37}`);
  });

  it("refuses a profile whose geography does not fit the region", () => {
    const error = errorOf(() => resolve({ model: `bedrock/eu.${SONNET_37}`, aws_region_name: "us-east-1" }));
    expect(error.key).toBe("model");
    expect(error.message).toContain("us-east-1 is not a source region");
  });

  it("refuses a profile AWS does not define for the model", () => {
    const error = errorOf(() => resolve({ model: `bedrock/eu.${OPUS_41}`, aws_region_name: "eu-west-1" }));
    expect(error.message).toContain('Claude Opus 4.1 has no "eu" inference profile: its profiles are: us');
  });

  it("sends ARNs unchanged and checks their region", () => {
    const arn = `arn:aws:bedrock:us-west-2::foundation-model/${TITAN}`;
    expect(resolve({ model: `bedrock/${arn}`, aws_region_name: "us-west-2" }).sentId).toBe(arn);
    const error = errorOf(() => resolve({ model: `bedrock/${arn}`, aws_region_name: "us-east-1" }));
    expect(error.message).toContain("ARN is in region us-west-2 but aws_region_name is us-east-1");
  });

  it("refuses cross_region_target on an ARN", () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3";
    const error = errorOf(() => resolve({ model: `bedrock/${arn}`, cross_region_target: "us", base_model: SONNET_45 }));
    expect(error.key).toBe("cross_region_target");
  });
});

describe("capabilities and notices", () => {
  const now = new Date("2026-11-25T00:00:00Z");

  it("suggests a target when a profile-only model is configured with its plain id", () => {
    const resolved = resolve({ model: `bedrock/${SONNET_45}`, aws_region_name: "eu-west-1" }, now);
    expect(resolved.sentId).toBe(SONNET_45);
    expect(resolved.notices.join("\n")).toContain('set cross_region_target = "eu"');
  });

  it("does not nag about on-demand models", () => {
    expect(resolve({ model: `bedrock/${TITAN}` }, now).notices).toEqual([]);
  });

  it("warns about legacy models and dates", () => {
    const notices = resolve({ model: "bedrock/anthropic.claude-3-opus-20240229-v1:0" }, now).notices;
    expect(notices).toEqual([expect.stringContaining("Claude 3 Opus is a legacy model")]);
  });

  it("announces an end of life within 90 days, and one that has passed", () => {
    const before = new Date("2026-04-01T00:00:00Z");
    const soon = resolve({ model: `bedrock/${SONNET_37}`, cross_region_target: "us" }, before).notices;
    expect(soon.join("\n")).toContain("reaches end of life on 2026-04-28 (in 27 days)");
    const after = resolve({ model: `bedrock/${SONNET_37}`, cross_region_target: "us" }, now).notices;
    expect(after.join("\n")).toContain("reached end of life on 2026-04-28");
  });

  it("infers an unknown Claude id from its family, with a notice", () => {
    const resolved = resolve({ model: "bedrock/anthropic.claude-haiku-5-9", cross_region_target: "us" }, now);
    expect(resolved.known).toBe(false);
    expect(resolved.sentId).toBe("us.anthropic.claude-haiku-5-9");
    expect(resolved.info).toMatchObject({ tools: true, thinking: "adaptive_only", family: "claude-5" });
    expect(resolved.info.pricing).toBeUndefined();
    expect(resolved.notices.join("\n")).toContain("is not in the model registry: capabilities inferred from");
  });

  it("gives an unknown provider conservative text-only capabilities", () => {
    const resolved = resolve({ model: "bedrock/acme.thinker-v1" }, now);
    expect(resolved.info).toMatchObject({ tools: false, images: false, promptCaching: null, thinking: "none" });
    expect(resolved.notices.join("\n")).toContain("conservative text-only capabilities");
  });

  it("uses base_model for an application inference profile", () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3";
    const resolved = resolve({ model: `bedrock/${arn}`, base_model: SONNET_45 }, now);
    expect(resolved).toMatchObject({ known: true, sentId: arn });
    expect(resolved.info.pricing?.input).toBe(3);
    expect(resolved.notices).toEqual([]);
  });

  it("notes an application inference profile without base_model", () => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3";
    const resolved = resolve({ model: `bedrock/${arn}` }, now);
    expect(resolved.known).toBe(false);
    expect(resolved.notices.join("\n")).toContain("application inference profile");
  });

  it("refuses a base_model missing from the registry", () => {
    const error = errorOf(() => resolve({ model: "bedrock/acme.x-v1", base_model: "acme.y-v1" }));
    expect(error.key).toBe("base_model");
  });

  it("applies capability overrides and drops the notice", () => {
    const resolved = resolve(
      {
        model: "bedrock/acme.x-v1",
        capabilities: {
          tools: true,
          prompt_caching: true,
          cache_min_tokens: 2048,
          thinking: "manual",
          context_window: 64_000,
        },
      },
      now,
    );
    expect(resolved.info).toMatchObject({ tools: true, thinking: "manual", contextWindow: 64_000 });
    expect(resolved.info.promptCaching?.minTokensPerCachePoint).toBe(2048);
    expect(resolved.notices).toEqual([]);
  });

  it("lets capabilities switch caching off for a known model", () => {
    const resolved = resolve({
      model: `bedrock/${SONNET_37}`,
      cross_region_target: "us",
      capabilities: { prompt_caching: false },
    });
    expect(resolved.info.promptCaching).toBeNull();
  });
});
