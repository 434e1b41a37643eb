/**
 * The control plane's inference-profile reads (GetInferenceProfile, ListInferenceProfiles) on their REST paths,
 * signed as the AWS SDK signs them, application profiles made through the control API, and the runtime resolving
 * an application profile ARN to the model it was made from, instead of any ARN to one fixed model.
 */
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { bedrockClient, control, converseBody, signedFetch } from "./helpers.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.state.reset();
});

interface Profile {
  inferenceProfileName: string;
  inferenceProfileArn: string;
  inferenceProfileId: string;
  type: string;
  status: string;
  createdAt: string;
  models: { modelArn: string }[];
}

/** GetInferenceProfile: GET /inference-profiles/{identifier}, the identifier percent-encoded as the SDK sends it. */
async function getProfile(identifier: string): Promise<{ status: number; errorType: string | null; body: unknown }> {
  const response = await signedFetch(emulator, {
    method: "GET",
    path: `/inference-profiles/${encodeURIComponent(identifier)}`,
  });
  return { status: response.status, errorType: response.headers.get("x-amzn-errortype"), body: await response.json() };
}

/** ListInferenceProfiles: GET /inference-profiles?type=&maxResults=&nextToken=. */
async function listProfiles(
  query: Record<string, string>,
): Promise<{ inferenceProfileSummaries: Profile[]; nextToken?: string }> {
  const response = await signedFetch(emulator, { method: "GET", path: "/inference-profiles", query });
  expect(response.status).toBe(200);
  return response.json() as Promise<{ inferenceProfileSummaries: Profile[]; nextToken?: string }>;
}

// biome-ignore lint/suspicious/noExplicitAny: control API answers are loosely typed JSON.
async function createProfile(body: Record<string, unknown>): Promise<any> {
  const response = await control(emulator, "inference-profiles", body);
  expect(response.status).toBe(200);
  return response.json();
}

describe("GetInferenceProfile", () => {
  it("describes a system profile by id or ARN, with the models of its geography", async () => {
    const id = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    const byId = await getProfile(id);
    expect(byId.status).toBe(200);
    const profile = byId.body as Profile;
    expect(profile).toMatchObject({
      inferenceProfileId: id,
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${id}`,
      type: "SYSTEM_DEFINED",
      status: "ACTIVE",
    });
    expect(profile.models.map((m) => m.modelArn)).toContain(
      "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0",
    );
    expect(Number.isNaN(Date.parse(profile.createdAt))).toBe(false);
    const byArn = await getProfile(profile.inferenceProfileArn);
    expect((byArn.body as Profile).inferenceProfileId).toBe(id);
  });

  it("describes an application profile made through the control API", async () => {
    const created = await createProfile({ name: "team-a", copyFrom: "us.anthropic.claude-haiku-4-5-20251001-v1:0" });
    expect(created.inferenceProfileArn).toMatch(
      /^arn:aws:bedrock:us-east-1:123456789012:application-inference-profile\/[a-z0-9]{12}$/,
    );
    const got = (await getProfile(created.inferenceProfileArn)).body as Profile;
    expect(got).toMatchObject({ inferenceProfileName: "team-a", type: "APPLICATION", status: "ACTIVE" });
    expect(got.models.map((m) => m.modelArn)).toEqual([
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
      "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
      "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
    ]);
    const single = await createProfile({ name: "titan", copyFrom: "amazon.titan-text-express-v1" });
    expect(single.models).toEqual([
      { modelArn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1" },
    ]);
  });

  it("is a ResourceNotFoundException for a profile that does not exist", async () => {
    const missing = await getProfile("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nope");
    expect([missing.status, missing.errorType]).toEqual([404, "ResourceNotFoundException"]);
    expect(missing.body).toEqual({ message: expect.stringContaining("doesn't exist") });
  });

  it("refuses a control-API profile whose source does not exist", async () => {
    const response = await control(emulator, "inference-profiles", { name: "x", copyFrom: "acme.none-v1" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'copyFrom: no model or system inference profile "acme.none-v1"' });
  });
});

describe("ListInferenceProfiles", () => {
  it("lists system and application profiles, filtered by type and paginated", async () => {
    const created = await createProfile({ name: "team-b", copyFrom: "amazon.nova-lite-v1:0" });
    const application = await listProfiles({ type: "APPLICATION" });
    expect(application.inferenceProfileSummaries.map((p) => p.inferenceProfileArn)).toEqual([
      created.inferenceProfileArn,
    ]);
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listProfiles({ maxResults: "7", ...(nextToken ? { nextToken } : {}) });
      expect(page.inferenceProfileSummaries.length).toBeLessThanOrEqual(7);
      for (const p of page.inferenceProfileSummaries) ids.push(p.inferenceProfileId);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(ids).toContain("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(ids).toContain(created.inferenceProfileId);
    expect(ids).not.toContain("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(new Set(ids).size).toBe(ids.length);
    const bad = await signedFetch(emulator, { method: "GET", path: "/inference-profiles", query: { type: "CUSTOM" } });
    expect([bad.status, bad.headers.get("x-amzn-errortype")]).toEqual([400, "ValidationException"]);
  });
});

describe("the runtime through an application profile", () => {
  it("runs the model the profile was made from", async () => {
    const titan = await createProfile({ name: "titan", copyFrom: "amazon.titan-text-express-v1" });
    const runtime = bedrockClient(emulator);
    // Titan takes no system prompt: Bedrock's refusal shows the profile reached Titan, not a fixed model.
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: titan.inferenceProfileArn,
          ...converseBody("Hi"),
          system: [{ text: "Be brief" }],
        } as never),
      ),
    ).rejects.toThrow("This model doesn't support system messages.");
    const ok = await runtime.send(
      new ConverseCommand({ modelId: titan.inferenceProfileArn, ...converseBody("Hi") } as never),
    );
    expect(ok.stopReason).toBe("end_turn");
  });

  it("refuses an application profile ARN the emulator does not have", async () => {
    await expect(
      bedrockClient(emulator).send(
        new ConverseCommand({
          modelId: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3",
          ...converseBody("Hi"),
        } as never),
      ),
    ).rejects.toThrow("The provided model identifier is invalid.");
  });
});
