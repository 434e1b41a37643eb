/**
 * PackedPolicySize as AWS returns it: present exactly when the request passed session policies (and, for
 * AssumeRole, session tags). Raw results are also held to botocore's STS model: no element it does not define.
 */
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { loadModel } from "./botocore.js";
import { REGION, signedFetch, stsClient } from "./helpers.js";

const ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-caller";
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" }],
});
const POLICY_ARN = "arn:aws:iam::aws:policy/AmazonBedrockReadOnly";
const sts = loadModel("sts-service-2.json");

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

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${Buffer.from("signature").toString("base64url")}`;
}

const TOKEN = jwt({ sub: "repo:me/app", iss: "https://token.actions.githubusercontent.com", aud: "sts.amazonaws.com" });

function webIdentity(extra: Record<string, unknown> = {}) {
  // Unsigned, as the SDK sends it: no credentials needed.
  const client = new STSClient({
    endpoint: emulator.url,
    region: REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
  });
  return client.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: "ci",
      WebIdentityToken: TOKEN,
      ...extra,
    }),
  );
}

describe("AssumeRoleWithWebIdentity", () => {
  it("returns PackedPolicySize when a session policy is passed, inline or by ARN", async () => {
    const inline = await webIdentity({ Policy: POLICY });
    expect(inline.PackedPolicySize).toBeGreaterThan(0);
    const byArn = await webIdentity({ PolicyArns: [{ arn: POLICY_ARN }] });
    expect(byArn.PackedPolicySize).toBeGreaterThan(0);
    const both = await webIdentity({ Policy: POLICY, PolicyArns: [{ arn: POLICY_ARN }] });
    expect(both.PackedPolicySize).toBeGreaterThan(inline.PackedPolicySize ?? 0);
  });

  it("omits it without one", async () => {
    expect((await webIdentity()).PackedPolicySize).toBeUndefined();
  });
});

describe("AssumeRole", () => {
  const assume = (extra: Record<string, unknown> = {}) =>
    stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s1", ...extra }));

  it("returns PackedPolicySize when a policy or tags are passed", async () => {
    expect((await assume({ Policy: POLICY })).PackedPolicySize).toBeGreaterThan(0);
    expect((await assume({ PolicyArns: [{ arn: POLICY_ARN }] })).PackedPolicySize).toBeGreaterThan(0);
    expect((await assume({ Tags: [{ Key: "team", Value: "search" }] })).PackedPolicySize).toBeGreaterThan(0);
  });

  it("omits it otherwise", async () => {
    expect((await assume()).PackedPolicySize).toBeUndefined();
    expect((await assume({ DurationSeconds: 900 })).PackedPolicySize).toBeUndefined();
  });
});

describe("results held to botocore's STS model", () => {
  async function resultElements(action: string, form: Record<string, string>, signed: boolean): Promise<string[]> {
    const body = new URLSearchParams({ Action: action, Version: "2011-06-15", ...form }).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    const response = signed
      ? await signedFetch(emulator, { path: "/", body, headers, service: "sts" })
      : await fetch(`${emulator.url}/`, { method: "POST", body, headers });
    expect(response.status).toBe(200);
    const xml = await response.text();
    const result = new RegExp(`<${action}Result>(.*)</${action}Result>`, "s").exec(xml)?.[1] ?? "";
    // Direct children only: skip over each element's content.
    return [...result.matchAll(/<(\w+)>(?:(?!<\/\1>).)*<\/\1>/gs)].map((m) => m[1] as string);
  }

  function members(action: string): string[] {
    const output = sts.operations[action]?.output as unknown as { shape: string; resultWrapper?: string };
    return Object.keys(sts.shapes[output.shape]?.members ?? {});
  }

  it("AssumeRole and AssumeRoleWithWebIdentity return only members of their output shapes", async () => {
    const role = await resultElements(
      "AssumeRole",
      {
        RoleArn: ROLE_ARN,
        RoleSessionName: "s1",
        Policy: POLICY,
        "Tags.member.1.Key": "k",
        "Tags.member.1.Value": "v",
      },
      true,
    );
    expect(role).toContain("PackedPolicySize");
    expect(role.filter((name) => !members("AssumeRole").includes(name))).toEqual([]);
    const web = await resultElements(
      "AssumeRoleWithWebIdentity",
      { RoleArn: ROLE_ARN, RoleSessionName: "ci", WebIdentityToken: TOKEN, Policy: POLICY },
      false,
    );
    expect(web).toContain("PackedPolicySize");
    expect(web.filter((name) => !members("AssumeRoleWithWebIdentity").includes(name))).toEqual([]);
  });
});
