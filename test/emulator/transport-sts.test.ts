/** STS (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity), the SSO portal, and temporary credentials. */
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  type Credentials,
  GetCallerIdentityCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { describe, expect } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { bedrockClient, converseBody, HAIKU_3, REGION, stsClient } from "./helpers.js";

const ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-caller";

it.override("emulatorOptions", { credentialTtlSeconds: 1 });
it.beforeEach(({ emulator }) => {
  // A clock the tests move forward, instead of sleeping past the 1 s credential lifetime.
  let offsetMs = 0;
  emulator.state.now = () => Date.now() + offsetMs;
  advanceClock = (ms) => {
    offsetMs += ms;
  };
});
let advanceClock: (ms: number) => void;

function sessionCredentials(credentials: Credentials | undefined) {
  return {
    accessKeyId: credentials?.AccessKeyId ?? "",
    secretAccessKey: credentials?.SecretAccessKey ?? "",
    sessionToken: credentials?.SessionToken ?? "",
  };
}

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${Buffer.from("signature").toString("base64url")}`;
}

async function converseWith(
  emulator: RunningEmulator,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  return bedrockClient(emulator, credentials).send(
    new ConverseCommand({ modelId: HAIKU_3, ...converseBody("Hi") } as never),
  );
}

describe("AssumeRole", () => {
  it("issues temporary credentials that Bedrock and STS accept until they expire", async ({ emulator }) => {
    const assumed = await stsClient(emulator).send(
      new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "tests@example.com" }),
    );
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(assumed.AssumedRoleUser?.Arn).toBe(
      "arn:aws:sts::123456789012:assumed-role/bedrock-caller/tests@example.com",
    );
    expect(assumed.Credentials?.Expiration?.getTime()).toBeGreaterThan(emulator.state.now());
    expect(assumed.Credentials?.Expiration?.getTime()).toBeLessThanOrEqual(emulator.state.now() + 1000);

    const credentials = sessionCredentials(assumed.Credentials);
    const identity = await stsClient(emulator, credentials).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(assumed.AssumedRoleUser?.Arn);
    expect((await converseWith(emulator, credentials)).output?.message?.role).toBe("assistant");
    expect(emulator.state.requests.at(-1)).toMatchObject({ accessKeyId: credentials.accessKeyId, status: 200 });

    advanceClock(1500);
    await expect(converseWith(emulator, credentials)).rejects.toMatchObject({
      name: "ExpiredTokenException",
      message: "The security token included in the request is expired",
    });
    await expect(stsClient(emulator, credentials).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "ExpiredToken",
    });
  });

  it("refuses temporary credentials presented with another session token", async ({ emulator }) => {
    const assumed = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s1" }));
    const credentials = { ...sessionCredentials(assumed.Credentials), sessionToken: "forged-token" };
    await expect(converseWith(emulator, credentials)).rejects.toMatchObject({ name: "UnrecognizedClientException" });
  });

  it("denies a role in another account, naming the caller", async ({ emulator }) => {
    await expect(
      stsClient(emulator).send(
        new AssumeRoleCommand({ RoleArn: "arn:aws:iam::999999999999:role/elsewhere", RoleSessionName: "s1" }),
      ),
    ).rejects.toMatchObject({
      name: "AccessDenied",
      message:
        "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::999999999999:role/elsewhere",
    });
  });

  it("validates RoleSessionName as STS does", async ({ emulator }) => {
    await expect(
      stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "has space" })),
    ).rejects.toMatchObject({ name: "ValidationError", message: expect.stringContaining("roleSessionName") });
    await expect(
      stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "x" })),
    ).rejects.toMatchObject({ name: "ValidationError" });
  });
});

describe("AssumeRoleWithWebIdentity", () => {
  const unsignedSts = (emulator: RunningEmulator) =>
    new STSClient({ endpoint: emulator.url, region: REGION, maxAttempts: 1 });

  it("accepts a JWT-shaped token without a signature and reports its claims", async ({ emulator }) => {
    const token = jwt({ sub: "repo:me/app", aud: "sts.amazonaws.com", iss: "https://token.example.com" });
    const result = await unsignedSts(emulator).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_ARN, RoleSessionName: "ci", WebIdentityToken: token }),
    );
    expect(result).toMatchObject({
      SubjectFromWebIdentityToken: "repo:me/app",
      Audience: "sts.amazonaws.com",
      Provider: "https://token.example.com",
    });
    expect((await converseWith(emulator, sessionCredentials(result.Credentials))).output?.message?.role).toBe(
      "assistant",
    );
    const [record] = emulator.state.requests;
    expect(record).toMatchObject({ operation: "AssumeRoleWithWebIdentity", authType: "none", status: 200 });
    expect(JSON.stringify(emulator.state.requests)).not.toContain(token);
  });

  it("refuses tokens marked invalid, malformed tokens and expired ones", async ({ emulator, control }) => {
    const token = jwt({ sub: "revoked" });
    expect((await control.send("web-identity/invalid", { token })).status).toBe(200);
    const assume = (WebIdentityToken: string) =>
      unsignedSts(emulator).send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_ARN, RoleSessionName: "ci", WebIdentityToken }),
      );
    await expect(assume(token)).rejects.toMatchObject({
      name: "InvalidIdentityTokenException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(assume("not-a-jwt")).rejects.toMatchObject({ name: "InvalidIdentityTokenException" });
    const expired = jwt({ sub: "old", exp: Math.floor(Date.now() / 1000) - 60 });
    await expect(assume(expired)).rejects.toMatchObject({ name: "ExpiredTokenException" });
  });
});

describe("request log for STS", () => {
  it("counts calls per action and never records secrets", async ({ emulator, control }) => {
    const assumed = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s1" }));
    await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s2" }));
    await stsClient(emulator).send(new GetCallerIdentityCommand({}));
    const response = await control.send("requests?operation=AssumeRole");
    const { requests } = (await response.json()) as { requests: { operation: string; body: unknown }[] };
    expect(requests.map((r) => r.operation)).toEqual(["AssumeRole", "AssumeRole"]);
    expect(requests[0]?.body).toMatchObject({ RoleArn: ROLE_ARN, RoleSessionName: "s1" });
    const everything = JSON.stringify(emulator.state.requests);
    expect(everything).not.toContain(assumed.Credentials?.SecretAccessKey);
    expect(everything).not.toContain(assumed.Credentials?.SessionToken);
    expect(everything).not.toContain("wJalrXUtnFEMI");
  });
});

describe("SSO portal GetRoleCredentials", () => {
  const getRoleCredentials = (emulator: RunningEmulator, token: string) =>
    fetch(`${emulator.url}/federation/credentials?account_id=123456789012&role_name=Developer`, {
      headers: { "x-amz-sso_bearer_token": token },
    });

  it("returns role credentials that Bedrock accepts", async ({ emulator }) => {
    const response = await getRoleCredentials(emulator, "sso-access-token");
    expect(response.status).toBe(200);
    const { roleCredentials } = (await response.json()) as {
      roleCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number };
    };
    expect(roleCredentials.expiration).toBeGreaterThan(emulator.state.now());
    const { expiration: _expiration, ...keys } = roleCredentials;
    const reply = await converseWith(emulator, keys);
    expect(reply.output?.message?.role).toBe("assistant");
    expect(emulator.state.requests.map((r) => r.operation)).toEqual(["GetRoleCredentials", "Converse"]);
  });

  it("answers 401 UnauthorizedException for a token marked invalid", async ({ emulator, control }) => {
    await control.refuseSsoToken("revoked-sso-token");
    const response = await getRoleCredentials(emulator, "revoked-sso-token");
    expect(response.status).toBe(401);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnauthorizedException");
  });
});

describe("faults on credential services", () => {
  it("fail the named STS action in STS's words, and leave '*' to Bedrock Runtime", async ({ emulator, control }) => {
    await control.fault({ operation: "*", error: "InternalServerException" });
    await control.fault({ operation: "AssumeRole", error: "ThrottlingException" });
    await expect(
      stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s1" })),
    ).rejects.toMatchObject({ name: "Throttling", message: "Rate exceeded", $metadata: { httpStatusCode: 400 } });
    const assumed = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s1" }));
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(emulator.state.faults).toMatchObject([{ operation: "*" }]);
  });

  it("fail SSO GetRoleCredentials with the portal's TooManyRequestsException", async ({ emulator, control }) => {
    await control.fault({ operation: "GetRoleCredentials", error: "ThrottlingException" });
    const response = await fetch(`${emulator.url}/federation/credentials?account_id=123456789012&role_name=Dev`, {
      headers: { "x-amz-sso_bearer_token": "token" },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("x-amzn-errortype")).toBe("TooManyRequestsException");
  });
});
