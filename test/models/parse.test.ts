import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { parseModelId } from "../../src/models/index.js";

describe("parseModelId", () => {
  it.each([
    [
      "bedrock/anthropic.claude-3-sonnet-20240229-v1:0",
      { kind: "foundation", baseId: "anthropic.claude-3-sonnet-20240229-v1:0" },
    ],
    ["amazon.titan-text-express-v1", { kind: "foundation", baseId: "amazon.titan-text-express-v1" }],
    [
      "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      { kind: "profile", geography: "us", baseId: "anthropic.claude-3-7-sonnet-20250219-v1:0" },
    ],
    ["eu.amazon.nova-pro-v1:0", { kind: "profile", geography: "eu", baseId: "amazon.nova-pro-v1:0" }],
    ["apac.anthropic.claude-3-haiku-20240307-v1:0", { kind: "profile", geography: "apac" }],
    ["us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", { kind: "profile", geography: "us-gov" }],
    [
      "global.anthropic.claude-opus-4-6-v1",
      { kind: "profile", geography: "global", baseId: "anthropic.claude-opus-4-6-v1" },
    ],
    ["jp.anthropic.claude-sonnet-4-6", { kind: "profile", geography: "jp", baseId: "anthropic.claude-sonnet-4-6" }],
    ["au.anthropic.claude-haiku-4-5-20251001-v1:0", { kind: "profile", geography: "au" }],
    [
      "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
      { kind: "foundation-arn", arnRegion: "us-west-2", baseId: "anthropic.claude-3-haiku-20240307-v1:0" },
    ],
    [
      "bedrock/arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-6",
      { kind: "profile-arn", arnRegion: "eu-west-1", geography: "eu", baseId: "anthropic.claude-sonnet-4-6" },
    ],
    [
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5",
      { kind: "application-profile-arn", arnRegion: "us-east-1" },
    ],
    [
      "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:provisioned-model/abc",
      { kind: "other-arn", arnRegion: "us-gov-west-1" },
    ],
  ])("%s", (input, expected) => {
    const parsed = parseModelId(input);
    expect(parsed).toMatchObject(expected);
    expect(parsed.raw).toBe(input.replace(/^bedrock\//, ""));
    if (parsed.kind === "application-profile-arn") expect(parsed.baseId).toBeUndefined();
  });

  it("does not read a provider dot as a geography", () => {
    // "us" here would need a provider after it: "usx.model" is a plain id.
    expect(parseModelId("usx.some-model").kind).toBe("foundation");
  });

  it.each(["bedrock/", "  ", "arn:aws:bedrock:us-east-1", "bedrock/openai/gpt-4o", "anthropic.claude 3"])(
    "refuses %j with a ConfigError",
    (input) => {
      expect(() => parseModelId(input)).toThrow(ConfigError);
    },
  );
});
