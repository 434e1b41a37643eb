/**
 * Temporary credentials are refreshed before they expire, and 20 concurrent requests share one refresh.
 * The emulator issues credentials that live 3 seconds; instead of letting real seconds pass, the test moves the
 * wall clock (Date only) that the SDK's signer, the credential cache and the in-process emulator all read.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, vi } from "vitest";
import { resolveAuth } from "../../src/auth/index.js";
import { type EmulatorControl, it } from "../support/fixtures.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  converse,
  REGION,
  ROLE_ARN,
  type RunningEmulator,
} from "./emulator-helpers.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";

const TTL_SECONDS = 3;

it.override("emulatorOptions", { credentialTtlSeconds: TTL_SECONDS });
const env = isolateAwsEnv();
beforeEach(() => {
  // STS expirations are whole seconds: start on one, so a 3 s lifetime is exactly 3 s.
  vi.useFakeTimers({ toFake: ["Date"], now: Math.ceil(Date.now() / 1000) * 1000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function emulatorConfig(emulator: RunningEmulator, overrides: Parameters<typeof llmConfig>[0] = {}) {
  return llmConfig({
    aws_region_name: REGION,
    aws_bedrock_runtime_endpoint: emulator.url,
    aws_sts_endpoint: emulator.url,
    ...overrides,
  });
}

async function converseConcurrently(config: ReturnType<typeof emulatorConfig>, auth: ReturnType<typeof resolveAuth>) {
  const replies = await Promise.all(Array.from({ length: 20 }, () => converse(config, auth)));
  expect(replies.every((reply) => typeof reply === "string")).toBe(true);
}

async function stsCalls(control: EmulatorControl, operation: string): Promise<number> {
  return (await control.requests(operation)).length;
}

describe("credential refresh", () => {
  it("assumed-role credentials: one AssumeRole per refresh under 20 concurrent requests, across several expiries", async ({
    emulator,
    control,
  }) => {
    const config = emulatorConfig(emulator, {
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
      aws_role_name: ROLE_ARN,
    });
    const auth = resolveAuth(config);
    await converseConcurrently(config, auth);
    expect(await stsCalls(control, "AssumeRole")).toBe(1);

    for (let expiry = 1; expiry <= 3; expiry += 1) {
      // Past the emulator's expiry: requests signed with the old credentials would be refused.
      vi.advanceTimersByTime(TTL_SECONDS * 1000 + 100);
      await converseConcurrently(config, auth);
      expect(await stsCalls(control, "AssumeRole")).toBe(1 + expiry);
    }
    const keys = (await control.requests("Converse")).map((request) => request.accessKeyId);
    expect(new Set(keys).size).toBe(4);
  });

  it("refreshes within the margin, before the credentials expire", async ({ emulator, control }) => {
    const config = emulatorConfig(emulator, {
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
      aws_role_name: ROLE_ARN,
    });
    const auth = resolveAuth(config);
    await converse(config, auth);
    vi.advanceTimersByTime(2_000);
    await converse(config, auth);
    expect(await stsCalls(control, "AssumeRole")).toBe(1);
    // 2.5 s of a 3 s lifetime: inside the refresh margin though still valid.
    vi.advanceTimersByTime(500);
    await converse(config, auth);
    expect(await stsCalls(control, "AssumeRole")).toBe(2);
  });

  it("web identity: the token file is re-read at each refresh, as Kubernetes rotates it", async ({
    emulator,
    control,
  }) => {
    const tokenFile = join(env.home, "token");
    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.e30.first");
    const config = emulatorConfig(emulator, { aws_role_name: ROLE_ARN, aws_web_identity_token: tokenFile });
    const auth = resolveAuth(config);
    await converseConcurrently(config, auth);

    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.e30.second");
    await control.refuseWebIdentityToken("eyJhbGciOiJSUzI1NiJ9.e30.first");
    vi.advanceTimersByTime(TTL_SECONDS * 1000 + 100);
    await converseConcurrently(config, auth);
    expect(await stsCalls(control, "AssumeRoleWithWebIdentity")).toBe(2);
  });
});
