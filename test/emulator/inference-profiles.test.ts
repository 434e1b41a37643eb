/**
 * The control plane's inference-profile reads through @aws-sdk/client-bedrock (GetInferenceProfile,
 * ListInferenceProfiles), application profiles made through the control API, and the runtime resolving an
 * application profile ARN to the model it was made from, instead of any ARN to one fixed model.
 */
import {
  BedrockClient,
  GetInferenceProfileCommand,
  ListInferenceProfilesCommand,
  paginateListInferenceProfiles,
} from "@aws-sdk/client-bedrock";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { BUILTIN_CREDENTIALS, bedrockClient, control, converseBody, REGION } from "./helpers.js";

let emulator: RunningEmulator;
let bedrock: BedrockClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  bedrock = new BedrockClient({
    endpoint: emulator.url,
    region: REGION,
    credentials: BUILTIN_CREDENTIALS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.state.reset();
});

// biome-ignore lint/suspicious/noExplicitAny: control API answers are loosely typed JSON.
async function createProfile(body: Record<string, unknown>): Promise<any> {
  const response = await control(emulator, "inference-profiles", body);
  expect(response.status).toBe(200);
  return response.json();
}

describe("GetInferenceProfile", () => {
  it("describes a system profile by id or ARN, with the models of its geography", async () => {
    const id = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    const byId = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: id }));
    expect(byId).toMatchObject({
      inferenceProfileId: id,
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${id}`,
      type: "SYSTEM_DEFINED",
      status: "ACTIVE",
    });
    expect(byId.models?.map((m) => m.modelArn)).toContain(
      "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0",
    );
    expect(byId.createdAt).toBeInstanceOf(Date);
    const byArn = await bedrock.send(
      new GetInferenceProfileCommand({ inferenceProfileIdentifier: byId.inferenceProfileArn }),
    );
    expect(byArn.inferenceProfileId).toBe(id);
  });

  it("describes an application profile made through the control API", async () => {
    const created = await createProfile({ name: "team-a", copyFrom: "us.anthropic.claude-haiku-4-5-20251001-v1:0" });
    expect(created.inferenceProfileArn).toMatch(
      /^arn:aws:bedrock:us-east-1:123456789012:application-inference-profile\/[a-z0-9]{12}$/,
    );
    const got = await bedrock.send(
      new GetInferenceProfileCommand({ inferenceProfileIdentifier: created.inferenceProfileArn }),
    );
    expect(got).toMatchObject({ inferenceProfileName: "team-a", type: "APPLICATION", status: "ACTIVE" });
    expect(got.models?.map((m) => m.modelArn)).toEqual([
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
    await expect(
      bedrock.send(
        new GetInferenceProfileCommand({
          inferenceProfileIdentifier: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nope",
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
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
    const application = await bedrock.send(new ListInferenceProfilesCommand({ typeEquals: "APPLICATION" }));
    expect(application.inferenceProfileSummaries?.map((p) => p.inferenceProfileArn)).toEqual([
      created.inferenceProfileArn,
    ]);
    const ids: string[] = [];
    for await (const page of paginateListInferenceProfiles({ client: bedrock, pageSize: 7 }, {})) {
      expect(page.inferenceProfileSummaries?.length).toBeLessThanOrEqual(7);
      for (const p of page.inferenceProfileSummaries ?? []) ids.push(p.inferenceProfileId ?? "");
    }
    expect(ids).toContain("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(ids).toContain(created.inferenceProfileId);
    expect(ids).not.toContain("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(new Set(ids).size).toBe(ids.length);
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
