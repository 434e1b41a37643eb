/**
 * Temporary credentials are refreshed before they expire, and 20 concurrent requests share one refresh.
 * The emulator issues credentials that live 3 seconds; instead of letting real seconds pass, the test moves the
 * wall clock (Date only) that the SDK's signer, the credential cache and the in-process emulator all read.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resolveAuth } from "../../src/auth/index.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  control,
  converse,
  REGION,
  ROLE_ARN,
  type RunningEmulator,
  recordedRequests,
  startEmulator,
} from "./emulator-helpers.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";

const TTL_SECONDS = 3;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentialTtlSeconds: TTL_SECONDS });
});
afterAll(async () => {
  await emulator.close();
});
const env = isolateAwsEnv();
beforeEach(async () => {
  await control(emulator, "/_emulator/reset", {});
  // STS expirations are whole seconds: start on one, so a 3 s lifetime is exactly 3 s.
  vi.useFakeTimers({ toFake: ["Date"], now: Math.ceil(Date.now() / 1000) * 1000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function emulatorConfig(overrides: Parameters<typeof llmConfig>[0] = {}) {
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

async function stsCalls(operation: string): Promise<number> {
  return (await recordedRequests(emulator, operation)).length;
}

describe("credential refresh", () => {
  it("assumed-role credentials: one AssumeRole per refresh under 20 concurrent requests, across several expiries", async () => {
    const config = emulatorConfig({
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
      aws_role_name: ROLE_ARN,
    });
    const auth = resolveAuth(config);
    await converseConcurrently(config, auth);
    expect(await stsCalls("AssumeRole")).toBe(1);

    for (let expiry = 1; expiry <= 3; expiry += 1) {
      // Past the emulator's expiry: requests signed with the old credentials would be refused.
      vi.advanceTimersByTime(TTL_SECONDS * 1000 + 100);
      await converseConcurrently(config, auth);
      expect(await stsCalls("AssumeRole")).toBe(1 + expiry);
    }
    const keys = (await recordedRequests(emulator, "Converse")).map((request) => request.accessKeyId);
    expect(new Set(keys).size).toBe(4);
  });

  it("refreshes within the margin, before the credentials expire", async () => {
    const config = emulatorConfig({
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
      aws_role_name: ROLE_ARN,
    });
    const auth = resolveAuth(config);
    await converse(config, auth);
    vi.advanceTimersByTime(2_000);
    await converse(config, auth);
    expect(await stsCalls("AssumeRole")).toBe(1);
    // 2.5 s of a 3 s lifetime: inside the refresh margin though still valid.
    vi.advanceTimersByTime(500);
    await converse(config, auth);
    expect(await stsCalls("AssumeRole")).toBe(2);
  });

  it("web identity: the token file is re-read at each refresh, as Kubernetes rotates it", async () => {
    const tokenFile = join(env.home, "token");
    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.e30.first");
    const config = emulatorConfig({ aws_role_name: ROLE_ARN, aws_web_identity_token: tokenFile });
    const auth = resolveAuth(config);
    await converseConcurrently(config, auth);

    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.e30.second");
    await control(emulator, "/_emulator/web-identity/invalid", { token: "eyJhbGciOiJSUzI1NiJ9.e30.first" });
    vi.advanceTimersByTime(TTL_SECONDS * 1000 + 100);
    await converseConcurrently(config, auth);
    expect(await stsCalls("AssumeRoleWithWebIdentity")).toBe(2);
  });
});
