/**
 * The library reads ~/.aws/config and ~/.aws/credentials synchronously (configuration loading and resolveAuth are
 * synchronous) in src/config/aws-shared-files.ts. These tests hold it to @smithy's own asynchronous
 * loadSharedConfigFiles, the loader the SDK's credential providers use: same paths, same sections, same values.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findRegion } from "../../src/config/aws-region.js";
import {
  listProfiles,
  profileExists,
  profileRegion,
  readSharedFiles,
  sharedFilePaths,
} from "../../src/config/aws-shared-files.js";
import { isolateAwsEnv } from "./helpers.js";

/** Plain data, whatever the prototype of the objects holding it. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const TRICKY_CONFIG = `# leading comment
[default]
region = us-west-2 # trailing comment after a space

[profile dev]
region = eu-west-1
output=json;not a comment without a space before it
s3 =
  max_concurrent_requests = 20
  addressing_style = path
sso_session = corp

[profile 'quoted']
region = ap-south-1

[profile "double"]
region = ca-central-1

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[services local]
bedrock_runtime =
  endpoint_url = http://127.0.0.1:4010

[plain-section-ignored]
region = nowhere

[profile default]
region = sa-east-1
\t; indented comment
[profile   spaced]
region = us-east-2
[profile with spaces in name]
region = eu-north-1
[]
region = empty-section
=no key
key_without_value_line
\r
[profile crlf]\r
region = me-south-1\r
`;

const TRICKY_CREDENTIALS = `[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
[base]
aws_access_key_id=AKIDBASE
region = us-gov-west-1
[profile in-credentials]
aws_access_key_id = AKIDPREFIXED
`;

describe("shared AWS files: the SDK's view, read synchronously", () => {
  const env = isolateAwsEnv();

  function write(config: string, credentials: string): { configFile: string; credentialsFile: string } {
    const configFile = join(env.home, "config");
    const credentialsFile = join(env.home, "credentials");
    writeFileSync(configFile, config);
    writeFileSync(credentialsFile, credentials);
    process.env.AWS_CONFIG_FILE = configFile;
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    return { configFile, credentialsFile };
  }

  async function expectSameAsSdk(): Promise<void> {
    const sdk = await loadSharedConfigFiles({ ignoreCache: true });
    expect(plain(readSharedFiles())).toEqual(plain(sdk));
  }

  it("parses tricky files exactly as loadSharedConfigFiles does", async () => {
    write(TRICKY_CONFIG, TRICKY_CREDENTIALS);
    await expectSameAsSdk();
    expect(profileRegion("default")).toBe("sa-east-1"); // [profile default] after [default], as the SDK merges them
    expect(profileRegion("dev")).toBe("eu-west-1");
    expect(profileRegion("quoted")).toBe("ap-south-1");
    expect(profileRegion("crlf")).toBe("me-south-1");
    expect(profileRegion("base")).toBeUndefined(); // a region in the credentials file is not the config file's
    expect(profileExists("base")).toBe(true);
    expect(profileExists("nope")).toBe(false);
    expect(profileExists("constructor")).toBe(false);
    expect(listProfiles()).not.toContain("sso-session.corp");
    expect(listProfiles()).toEqual(expect.arrayContaining(["base", "default", "dev", "double", "quoted"]));
  });

  it("agrees with loadSharedConfigFiles on generated files", async () => {
    const name = fc.constantFrom("default", "dev", "prod", "a-b", "x.y", "under_score", "with space");
    const key = fc.constantFrom("region", "output", "sso_session", "role_arn", "s3", "endpoint_url", "x");
    const value = fc.constantFrom("us-east-1", "", "v # c", "v;c", "a=b", "  spaced  ", "http://h:1/p");
    const line = fc.oneof(
      fc
        .tuple(fc.constantFrom("[", "[profile ", "[sso-session ", "[services ", "[other ", "[ profile "), name)
        .map(([open, section]) => `${open}${section}]`),
      fc
        .tuple(fc.constantFrom("", "  ", "\t"), key, fc.constantFrom("=", " = ", " ="), value)
        .map(([indent, k, eq, v]) => `${indent}${k}${eq}${v}`),
      fc.constantFrom("", "# comment", "; comment", "  # indented", "garbage", "=", "[unterminated"),
    );
    const file = fc.array(line, { maxLength: 14 }).map((lines) => lines.join("\n"));
    await fc.assert(
      fc.asyncProperty(file, file, async (config, credentials) => {
        write(config, credentials);
        await expectSameAsSdk();
      }),
      { seed: 20240611, numRuns: 150 },
    );
  });

  it("finds the files where the SDK does: variables, else the home directory, ~/ expanded", () => {
    expect(sharedFilePaths()).toEqual({
      configFile: join(env.home, ".aws", "config"),
      credentialsFile: join(env.home, ".aws", "credentials"),
    });
    expect(sharedFilePaths({ AWS_CONFIG_FILE: "~/cfg", AWS_SHARED_CREDENTIALS_FILE: "/abs/creds" })).toEqual({
      configFile: join(env.home, "cfg"),
      credentialsFile: "/abs/creds",
    });
    mkdirSync(join(env.home, ".aws"));
    writeFileSync(join(env.home, ".aws", "config"), "[profile home]\nregion = eu-south-1\n");
    expect(profileRegion("home")).toBe("eu-south-1");
  });
});

describe("findRegion: one rule for config and auth", () => {
  const env = isolateAwsEnv();

  it("takes aws_region_name, AWS_REGION, AWS_DEFAULT_REGION, then the profile's region, saying where from", () => {
    const configFile = join(env.home, "config");
    writeFileSync(configFile, "[default]\nregion = us-west-1\n[profile team]\nregion = eu-west-2\n");
    const files = { AWS_CONFIG_FILE: configFile };
    expect(findRegion({}, files)).toEqual({
      region: "us-west-1",
      source: "aws-config",
      profile: "default",
      configFile,
    });
    expect(findRegion({ aws_profile_name: "team" }, files)).toMatchObject({ region: "eu-west-2", profile: "team" });
    expect(findRegion({}, { ...files, AWS_PROFILE: "team" })).toMatchObject({ region: "eu-west-2" });
    expect(findRegion({}, { ...files, AWS_DEFAULT_REGION: "ap-east-1" })).toMatchObject({
      region: "ap-east-1",
      source: "env",
      variable: "AWS_DEFAULT_REGION",
    });
    expect(findRegion({}, { ...files, AWS_DEFAULT_REGION: "ap-east-1", AWS_REGION: "af-south-1" })).toMatchObject({
      region: "af-south-1",
      variable: "AWS_REGION",
    });
    expect(findRegion({ aws_region_name: "us-east-2" }, { ...files, AWS_REGION: "af-south-1" })).toMatchObject({
      region: "us-east-2",
      source: "setting",
    });
    expect(findRegion({ aws_profile_name: "missing" }, files)).toEqual({ profile: "missing", configFile });
  });
});
