/**
 * GetInferenceProfile through @aws-sdk/client-bedrock with the runtime's auth method, against the emulator's
 * control plane (which verifies the signature or API key): SigV4 or bearer as configured, AWS's errors under the
 * SDK's names, and a bounded wait for a control plane that never answers.
 */
import { createServer, type Socket } from "node:net";
import { describe, expect } from "vitest";
import { getInferenceProfile, resolveAuth } from "../../src/auth/index.js";
import { BUILTIN_BEDROCK_API_KEY } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, REGION } from "./emulator-helpers.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";

isolateAwsEnv();

const SYSTEM_PROFILE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const builtinKeys = { aws_access_key_id: BUILTIN_ACCESS_KEY_ID, aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY };

describe("getInferenceProfile", () => {
  it("signs with SigV4 credentials, for the endpoint aws_bedrock_endpoint names", async ({ emulator, control }) => {
    const config = llmConfig({ aws_region_name: REGION, aws_bedrock_endpoint: emulator.url, ...builtinKeys });
    const profile = await getInferenceProfile(config, resolveAuth(config), SYSTEM_PROFILE);
    expect(profile).toMatchObject({ inferenceProfileId: SYSTEM_PROFILE, type: "SYSTEM_DEFINED" });
    expect(profile.models?.length).toBeGreaterThan(0);
    const [recorded] = await control.requests("GetInferenceProfile");
    expect(recorded).toMatchObject({ authType: "sigv4", accessKeyId: BUILTIN_ACCESS_KEY_ID });
  });

  it("sends a Bedrock API key as a bearer token", async ({ emulator, control }) => {
    const config = llmConfig({
      aws_region_name: REGION,
      aws_bedrock_endpoint: emulator.url,
      aws_bearer_token: BUILTIN_BEDROCK_API_KEY,
    });
    const profile = await getInferenceProfile(config, resolveAuth(config), SYSTEM_PROFILE);
    expect(profile.inferenceProfileId).toBe(SYSTEM_PROFILE);
    const [recorded] = await control.requests("GetInferenceProfile");
    expect(recorded?.authType).toBe("bearer");
  });

  it("fails with the SDK's name for AWS's exception and AWS's message", async ({ emulator }) => {
    const config = llmConfig({ aws_region_name: REGION, aws_bedrock_endpoint: emulator.url, ...builtinKeys });
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nope";
    await expect(getInferenceProfile(config, resolveAuth(config), arn)).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: expect.stringContaining(`The inference profile ${arn} doesn't exist`),
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("gives up on a control plane that never answers, with a TimeoutError", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket)); // accepts, reads, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    try {
      const config = llmConfig({
        aws_region_name: REGION,
        aws_bedrock_endpoint: `http://127.0.0.1:${address.port}`,
        ...builtinKeys,
      });
      await expect(getInferenceProfile(config, resolveAuth(config), SYSTEM_PROFILE, 300)).rejects.toMatchObject({
        name: "TimeoutError",
        message: "GetInferenceProfile got no answer within 300 ms",
      });
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
