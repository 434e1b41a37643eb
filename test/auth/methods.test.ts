/**
 * One real Converse call per authentication method, through createBedrockRuntimeClient, against the emulator:
 * it verifies every signature and records the access key id each call was signed with.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { getCallerIdentity, resolveAuth } from "../../src/auth/index.js";
import { parseConfig } from "../../src/config/index.js";
import { BUILTIN_BEDROCK_API_KEY } from "../../src/emulator/index.js";
import { type EmulatorControl, it } from "../support/fixtures.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  converse,
  lastConverse,
  REGION,
  ROLE_ARN,
  ROLE_NAME,
  type RunningEmulator,
  temporaryCredentials,
} from "./emulator-helpers.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";
import { writeSsoProfile } from "./sso-files.js";

const env = isolateAwsEnv();

const builtinKeys = { aws_access_key_id: BUILTIN_ACCESS_KEY_ID, aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY };

function emulatorConfig(emulator: RunningEmulator, overrides: Parameters<typeof llmConfig>[0] = {}) {
  return llmConfig({
    aws_region_name: REGION,
    aws_bedrock_runtime_endpoint: emulator.url,
    aws_sts_endpoint: emulator.url,
    ...overrides,
  });
}

/** Asserts the last Converse was signed (SigV4) by a temporary key STS issued, and returns that key id. */
async function expectSignedWithTemporaryKey(control: EmulatorControl): Promise<string> {
  const recorded = await lastConverse(control);
  expect(recorded?.authType).toBe("sigv4");
  expect(recorded?.accessKeyId).toMatch(/^ASIA/);
  return recorded?.accessKeyId ?? "";
}

function writeAwsFiles(config: string, credentials: string): void {
  mkdirSync(join(env.home, ".aws"), { recursive: true });
  writeFileSync(join(env.home, ".aws", "config"), config);
  writeFileSync(join(env.home, ".aws", "credentials"), credentials);
}

describe("authentication methods against the emulator", () => {
  it("static keys", async ({ emulator, control }) => {
    const config = emulatorConfig(emulator, builtinKeys);
    const auth = resolveAuth(config);
    expect(auth.method).toBe("static-keys");
    expect(await converse(config, auth)).toBeTruthy();
    expect(await lastConverse(control)).toMatchObject({ authType: "sigv4", accessKeyId: BUILTIN_ACCESS_KEY_ID });
    expect(await getCallerIdentity(config, auth)).toMatchObject({ account: "123456789012" });
  });

  it("session token", async ({ emulator, control }) => {
    const temporary = await temporaryCredentials(emulator);
    const config = emulatorConfig(emulator, {
      aws_access_key_id: temporary.accessKeyId,
      aws_secret_access_key: temporary.secretAccessKey,
      aws_session_token: temporary.sessionToken,
    });
    const auth = resolveAuth(config);
    expect(auth.method).toBe("session-token");
    await converse(config, auth);
    expect(await lastConverse(control)).toMatchObject({ authType: "sigv4", accessKeyId: temporary.accessKeyId });
  });

  it("profile with keys in the credentials file (HOME pointed at a temporary directory)", async ({
    emulator,
    control,
  }) => {
    writeAwsFiles(
      "[profile dev]\nregion = us-east-1\n",
      `[dev]\naws_access_key_id = ${BUILTIN_ACCESS_KEY_ID}\naws_secret_access_key = ${BUILTIN_SECRET_ACCESS_KEY}\n`,
    );
    const config = emulatorConfig(emulator, { aws_region_name: undefined, aws_profile_name: "dev" });
    const auth = resolveAuth(config);
    expect(auth).toMatchObject({ method: "profile", region: "us-east-1" });
    await converse(config, auth);
    expect(await lastConverse(control)).toMatchObject({ accessKeyId: BUILTIN_ACCESS_KEY_ID });
  });

  it("profile with role_arn + source_profile, assumed through the configured STS endpoint", async ({
    emulator,
    control,
  }) => {
    writeAwsFiles(
      `[profile chained]\nrole_arn = ${ROLE_ARN}\nsource_profile = base\nregion = us-east-1\n`,
      `[base]\naws_access_key_id = ${BUILTIN_ACCESS_KEY_ID}\naws_secret_access_key = ${BUILTIN_SECRET_ACCESS_KEY}\n`,
    );
    const config = emulatorConfig(emulator, { aws_profile_name: "chained" });
    await converse(config, resolveAuth(config));
    await expectSignedWithTemporaryKey(control);
    expect(await control.requests("AssumeRole")).toHaveLength(1);
  });

  it("profile with credential_process", async ({ emulator, control }) => {
    const output = JSON.stringify({
      Version: 1,
      AccessKeyId: BUILTIN_ACCESS_KEY_ID,
      SecretAccessKey: BUILTIN_SECRET_ACCESS_KEY,
    });
    const script = join(env.home, "creds.mjs");
    writeFileSync(script, `process.stdout.write(${JSON.stringify(output)});\n`);
    writeAwsFiles(`[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`, "");
    const config = emulatorConfig(emulator, { aws_profile_name: "proc" });
    await converse(config, resolveAuth(config));
    expect(await lastConverse(control)).toMatchObject({ accessKeyId: BUILTIN_ACCESS_KEY_ID });
  });

  it.for([
    { layout: "legacy sso_start_url in the profile", ssoSession: undefined },
    { layout: "[sso-session] section", ssoSession: "corp" },
  ])(
    "SSO profile with a token cache file ($layout), SSO reached via AWS_ENDPOINT_URL_SSO",
    async ({ ssoSession }, { emulator, control }) => {
      writeSsoProfile({
        home: env.home,
        profile: "sso-dev",
        accessToken: "sso-access-token-example",
        expiresAt: new Date(Date.now() + 3_600_000),
        ...(ssoSession ? { ssoSession } : {}),
      });
      process.env.AWS_ENDPOINT_URL_SSO = emulator.url;
      const config = emulatorConfig(emulator, { aws_profile_name: "sso-dev" });
      const auth = resolveAuth(config);
      expect(auth.method).toBe("profile");
      await converse(config, auth);
      await expectSignedWithTemporaryKey(control);
    },
  );

  it("role by name: the account is learned once with GetCallerIdentity", async ({ emulator, control }) => {
    const config = emulatorConfig(emulator, { ...builtinKeys, aws_role_name: ROLE_NAME });
    const auth = resolveAuth(config);
    expect(auth.method).toBe("role");
    await converse(config, auth);
    await converse(config, auth);
    await expectSignedWithTemporaryKey(control);
    expect(auth.details?.role).toBe(ROLE_ARN);
    expect(await control.requests("GetCallerIdentity")).toHaveLength(1);
    expect(await control.requests("AssumeRole")).toHaveLength(1);
  });

  it("role assumed from a profile's credentials", async ({ emulator, control }) => {
    writeAwsFiles(
      "",
      `[base]\naws_access_key_id = ${BUILTIN_ACCESS_KEY_ID}\naws_secret_access_key = ${BUILTIN_SECRET_ACCESS_KEY}\n`,
    );
    const config = emulatorConfig(emulator, { aws_profile_name: "base", aws_role_name: ROLE_NAME });
    const auth = resolveAuth(config);
    expect(auth.details).toMatchObject({ baseMethod: "profile", profile: "base" });
    await converse(config, auth);
    await expectSignedWithTemporaryKey(control);
    expect(await control.requests("GetCallerIdentity")).toMatchObject([{ accessKeyId: BUILTIN_ACCESS_KEY_ID }]);
  });

  it("role by ARN from the default chain, STS reached via AWS_ENDPOINT_URL_STS", async ({ emulator, control }) => {
    process.env.AWS_ACCESS_KEY_ID = BUILTIN_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = BUILTIN_SECRET_ACCESS_KEY;
    process.env.AWS_ENDPOINT_URL_STS = emulator.url;
    const config = emulatorConfig(emulator, {
      aws_sts_endpoint: undefined,
      aws_role_name: ROLE_ARN,
      aws_session_name: "ci job",
    });
    const auth = resolveAuth(config);
    expect(auth.details).toMatchObject({ baseMethod: "default-chain", roleSessionName: "ci-job" });
    await converse(config, auth);
    await expectSignedWithTemporaryKey(control);
    expect(await control.requests("GetCallerIdentity")).toHaveLength(0);
  });

  it("web identity from the token itself", async ({ emulator, control }) => {
    const config = emulatorConfig(emulator, {
      aws_role_name: ROLE_ARN,
      aws_web_identity_token: "eyJhbGciOiJSUzI1NiJ9.e30.sig",
    });
    const auth = resolveAuth(config);
    expect(auth.method).toBe("web-identity");
    await converse(config, auth);
    await expectSignedWithTemporaryKey(control);
    expect(await control.requests("AssumeRoleWithWebIdentity")).toHaveLength(1);
  });

  it("web identity from a token file", async ({ emulator, control }) => {
    const tokenFile = join(env.home, "token");
    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.e30.file\n");
    const config = emulatorConfig(emulator, { aws_role_name: ROLE_ARN, aws_web_identity_token: tokenFile });
    const auth = resolveAuth(config);
    expect(auth.details?.webIdentityTokenFile).toBe(tokenFile);
    await converse(config, auth);
    await expectSignedWithTemporaryKey(control);
  });

  it("Bedrock API key, sent as a bearer token", async ({ emulator, control }) => {
    const config = emulatorConfig(emulator, { aws_bearer_token: BUILTIN_BEDROCK_API_KEY });
    const auth = resolveAuth(config);
    await converse(config, auth);
    expect((await lastConverse(control))?.authType).toBe("bearer");
    expect(await getCallerIdentity(config, auth)).toEqual({ note: expect.stringContaining("bearer") });
  });

  it("explicit keys win over AWS_BEARER_TOKEN_BEDROCK in the environment", async ({ emulator, control }) => {
    process.env.AWS_BEARER_TOKEN_BEDROCK = BUILTIN_BEDROCK_API_KEY;
    const config = emulatorConfig(emulator, builtinKeys);
    await converse(config, resolveAuth(config));
    expect(await lastConverse(control)).toMatchObject({ authType: "sigv4", accessKeyId: BUILTIN_ACCESS_KEY_ID });
  });

  it("default chain from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY", async ({ emulator, control }) => {
    process.env.AWS_ACCESS_KEY_ID = BUILTIN_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = BUILTIN_SECRET_ACCESS_KEY;
    const config = emulatorConfig(emulator);
    const auth = resolveAuth(config);
    expect(auth.method).toBe("default-chain");
    await converse(config, auth);
    expect(await lastConverse(control)).toMatchObject({ authType: "sigv4", accessKeyId: BUILTIN_ACCESS_KEY_ID });
  });
});

describe("a TOML configuration loaded by the config module", () => {
  it("explicit keys in the file win over an API key in the environment", async ({ emulator, control }) => {
    const toml = [
      "[llm]",
      'model = "bedrock/anthropic.claude-3-haiku-20240307-v1:0"',
      `aws_region_name = "${REGION}"`,
      `aws_bedrock_runtime_endpoint = "${emulator.url}"`,
      `aws_access_key_id = "${BUILTIN_ACCESS_KEY_ID}"`,
      `aws_secret_access_key = "${BUILTIN_SECRET_ACCESS_KEY}"`,
    ].join("\n");
    const { llm } = parseConfig(toml, "config.toml", { env: { AWS_BEARER_TOKEN_BEDROCK: BUILTIN_BEDROCK_API_KEY } });
    process.env.AWS_BEARER_TOKEN_BEDROCK = BUILTIN_BEDROCK_API_KEY;
    const auth = resolveAuth(llm);
    expect(auth.method).toBe("static-keys");
    await converse(llm, auth);
    expect(await lastConverse(control)).toMatchObject({ authType: "sigv4", accessKeyId: BUILTIN_ACCESS_KEY_ID });
  });
});
