/**
 * Failures against the emulator: each becomes a CredentialsError naming the method and the fix, and no message
 * holds any of the secrets involved.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, vi } from "vitest";
import { getCallerIdentity, isCredentialsFailure, resolveAuth, toCredentialsError } from "../../src/auth/index.js";
import { CredentialsError } from "../../src/errors.js";
import { it } from "../support/fixtures.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  converse,
  REGION,
  ROLE_ARN,
  type RunningEmulator,
  temporaryCredentials,
} from "./emulator-helpers.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";
import { writeSsoProfile } from "./sso-files.js";

const WRONG_SECRET = "wJalrXUtnFEMI/K7MDENG/WRONGWRONGWRONGKEY";
const SSO_TOKEN = "sso-access-token-secret-value";
const WEB_IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.refused";
const BAD_API_KEY = "ABSKbm90LWEtcmVhbC1rZXk6bm90LWEtcmVhbC1zZWNyZXQ=";
const ALL_SECRETS = [WRONG_SECRET, BUILTIN_SECRET_ACCESS_KEY, SSO_TOKEN, WEB_IDENTITY_TOKEN, BAD_API_KEY];

const env = isolateAwsEnv();

function emulatorConfig(emulator: RunningEmulator, overrides: Parameters<typeof llmConfig>[0] = {}) {
  return llmConfig({
    aws_region_name: REGION,
    aws_bedrock_runtime_endpoint: emulator.url,
    aws_sts_endpoint: emulator.url,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<CredentialsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsError);
  const message = (error as Error).message;
  for (const secret of ALL_SECRETS) expect(message).not.toContain(secret);
  return error as CredentialsError;
}

describe("authentication failures", () => {
  it("wrong secret: the AWS message and 'check aws_secret_access_key'", async ({ emulator }) => {
    const config = emulatorConfig(emulator, {
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: WRONG_SECRET,
    });
    const auth = resolveAuth(config);
    // A Bedrock call signed with the wrong secret is refused by Bedrock; the LLM layer maps it with the helper.
    const signed = await converse(config, auth).catch((e: unknown) => toCredentialsError(e, auth));
    const fromBedrock = await failure(Promise.reject(signed));
    expect(fromBedrock.method).toBe("static-keys");
    expect(fromBedrock.message).toMatch(/signature/i);
    expect(fromBedrock.message).toContain("Check aws_secret_access_key");
    expect(fromBedrock.statusCode).toBe(403);

    const fromSts = await failure(getCallerIdentity(config, auth));
    expect(fromSts.message).toContain("Check aws_secret_access_key");
  });

  it("unknown access key: 'check aws_access_key_id'", async ({ emulator }) => {
    const config = emulatorConfig(emulator, {
      aws_access_key_id: "AKIAUNKNOWNKEY000000",
      aws_secret_access_key: WRONG_SECRET,
    });
    const auth = resolveAuth(config);
    const thrown = await converse(config, auth).catch((e: unknown) => e);
    expect(isCredentialsFailure(thrown)).toBe(true);
    const error = await failure(Promise.reject(toCredentialsError(thrown, auth)));
    expect(error.message).toContain("check aws_access_key_id");
  });

  it("Bedrock API key refused: a credentials failure naming aws_bearer_token", async ({ emulator }) => {
    const config = emulatorConfig(emulator, { aws_bearer_token: BAD_API_KEY });
    const auth = resolveAuth(config);
    const thrown = await converse(config, auth).catch((e: unknown) => e);
    expect(isCredentialsFailure(thrown)).toBe(true);
    const error = await failure(Promise.reject(toCredentialsError(thrown, auth)));
    expect(error.method).toBe("bearer-token");
    expect(error.message).toContain("Check aws_bearer_token");
  });

  it("expired session token: fetch fresh temporary keys", async ({ emulator }) => {
    const temporary = await temporaryCredentials(emulator);
    const config = emulatorConfig(emulator, {
      aws_access_key_id: temporary.accessKeyId,
      aws_secret_access_key: temporary.secretAccessKey,
      aws_session_token: temporary.sessionToken,
    });
    const auth = resolveAuth(config);
    // Two hours later (wall clock only, shared by the signer and the in-process emulator) the keys have expired.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 3_600_000 });
    try {
      const thrown = await converse(config, auth).catch((e: unknown) => e);
      const error = await failure(Promise.reject(toCredentialsError(thrown, auth)));
      expect(error.method).toBe("session-token");
      expect(error.message).toMatch(/expired|fresh/i);
      for (const secret of [temporary.secretAccessKey, temporary.sessionToken])
        expect(error.message).not.toContain(secret);
    } finally {
      vi.useRealTimers();
    }
  });

  it("wrong secret under a role: blamed on the base keys, not the role", async ({ emulator }) => {
    const config = emulatorConfig(emulator, {
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: WRONG_SECRET,
      aws_role_name: "bedrock-caller",
    });
    const error = await failure(converse(config, resolveAuth(config)));
    expect(error.method).toBe("static-keys");
    expect(error.message).toContain("Check aws_secret_access_key");
  });

  it("role not assumable: the role ARN and the STS error code", async ({ emulator }) => {
    const foreignRole = "arn:aws:iam::999999999999:role/not-mine";
    const config = emulatorConfig(emulator, {
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
      aws_role_name: foreignRole,
    });
    const error = await failure(converse(config, resolveAuth(config)));
    expect(error.method).toBe("role");
    expect(error.message).toContain(foreignRole);
    expect(error.message).toContain(error.awsErrorName);
    expect(error.awsErrorName).toMatch(/AccessDenied/);
  });

  it("expired SSO token: run `aws sso login --profile X`", async ({ emulator }) => {
    writeSsoProfile({
      home: env.home,
      profile: "sso-dev",
      accessToken: SSO_TOKEN,
      expiresAt: new Date(Date.now() - 60_000),
    });
    process.env.AWS_ENDPOINT_URL_SSO = emulator.url;
    const config = emulatorConfig(emulator, { aws_profile_name: "sso-dev" });
    const error = await failure(converse(config, resolveAuth(config)));
    expect(error.method).toBe("profile");
    expect(error.message).toContain("aws sso login --profile sso-dev");
  });

  it("SSO token the portal no longer accepts: same fix", async ({ emulator, control }) => {
    writeSsoProfile({
      home: env.home,
      profile: "sso-dev",
      accessToken: SSO_TOKEN,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await control.refuseSsoToken(SSO_TOKEN);
    process.env.AWS_ENDPOINT_URL_SSO = emulator.url;
    const config = emulatorConfig(emulator, { aws_profile_name: "sso-dev" });
    const error = await failure(converse(config, resolveAuth(config)));
    expect(error.message).toContain("aws sso login --profile sso-dev");
  });

  it("refused web identity token: the role, the STS error, and where the token came from", async ({
    emulator,
    control,
  }) => {
    await control.refuseWebIdentityToken(WEB_IDENTITY_TOKEN);
    const inline = emulatorConfig(emulator, { aws_role_name: ROLE_ARN, aws_web_identity_token: WEB_IDENTITY_TOKEN });
    const error = await failure(converse(inline, resolveAuth(inline)));
    expect(error.method).toBe("web-identity");
    expect(error.message).toContain(ROLE_ARN);
    expect(error.message).toMatch(/InvalidIdentityToken/);
    expect(error.message).toContain("aws_web_identity_token");

    const tokenFile = join(env.home, "token");
    writeFileSync(tokenFile, WEB_IDENTITY_TOKEN);
    const fromFile = emulatorConfig(emulator, { aws_role_name: ROLE_ARN, aws_web_identity_token: tokenFile });
    const fileError = await failure(converse(fromFile, resolveAuth(fromFile)));
    expect(fileError.message).toContain(tokenFile);
  });

  it("unreadable web identity token file: names the file", async ({ emulator }) => {
    const missing = join(env.home, "no-such-token");
    const config = emulatorConfig(emulator, { aws_role_name: ROLE_ARN, aws_web_identity_token: missing });
    const error = await failure(converse(config, resolveAuth(config)));
    expect(error.message).toContain(missing);
  });
});
