/** Authentication as AWS does it: SigV4 verification, AWS's own 403s, Bedrock API keys (bearer). */
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect } from "vitest";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_BEDROCK_API_KEY, type RunningEmulator } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { bedrockClient, converseBody, encodedModelPath, HAIKU_3, signedFetch, stsClient } from "./helpers.js";

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function converse(
  emulator: RunningEmulator,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  return bedrockClient(emulator, credentials).send(
    new ConverseCommand({ modelId: HAIKU_3, ...converseBody("Hi") } as never),
  );
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

describe("SigV4 on Bedrock Runtime", () => {
  it("refuses a wrong secret with InvalidSignatureException", async ({ emulator }) => {
    const error = await rejection(converse(emulator, { accessKeyId: BUILTIN_ACCESS_KEY_ID, secretAccessKey: "wrong" }));
    expect(error).toEqual({ name: "InvalidSignatureException", message: SIGNATURE_MISMATCH, status: 403 });
    expect(emulator.state.requests).toMatchObject([
      { operation: "Converse", accessKeyId: BUILTIN_ACCESS_KEY_ID, authType: "sigv4", status: 403 },
    ]);
  });

  it("refuses an unknown access key with UnrecognizedClientException", async ({ emulator }) => {
    const error = await rejection(converse(emulator, { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x" }));
    expect(error).toEqual({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
      status: 403,
    });
  });

  it("refuses a request without credentials with MissingAuthenticationTokenException", async ({ emulator }) => {
    const response = await fetch(`${emulator.url}${encodedModelPath(HAIKU_3, "converse")}`, {
      method: "POST",
      body: JSON.stringify(converseBody("Hi")),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toMatchObject({ message: "Missing Authentication Token" });
  });

  it("accepts fetch over HTTP/1.1 signed with @smithy/signature-v4, with `%3A` and with a raw `:`", async ({
    emulator,
  }) => {
    for (const path of [encodedModelPath(HAIKU_3, "converse"), `/model/${HAIKU_3}/converse`]) {
      const response = await signedFetch(emulator, { path, body: JSON.stringify(converseBody("Hi")) });
      expect(response.status).toBe(200);
      const reply = (await response.json()) as { output: { message: { role: string } } };
      expect(reply.output.message.role).toBe("assistant");
    }
    expect(emulator.state.requests.map((r) => [r.modelId, r.httpVersion])).toEqual([
      [HAIKU_3, "1.1"],
      [HAIKU_3, "1.1"],
    ]);
  });

  it("refuses a body altered after signing", async ({ emulator }) => {
    const body = JSON.stringify(converseBody("Hi"));
    const response = await signedFetch(emulator, {
      path: encodedModelPath(HAIKU_3, "converse"),
      body,
      headers: { "x-amz-content-sha256": "0".repeat(64) },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });

  it("refuses a signature dated more than 15 minutes away from the server's clock", async ({ emulator }) => {
    const response = await signedFetch(emulator, {
      path: encodedModelPath(HAIKU_3, "converse"),
      body: JSON.stringify(converseBody("Hi")),
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
  });

  it("refuses a credential scope dated another day than x-amz-date", async ({ emulator }) => {
    const response = await signedFetch(emulator, {
      path: encodedModelPath(HAIKU_3, "converse"),
      body: JSON.stringify(converseBody("Hi")),
      tamper: (headers) => {
        headers.authorization = (headers.authorization ?? "").replace(
          /Credential=(\w+)\/\d{8}\//,
          "Credential=$1/20200101/",
        );
      },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20200101' != '\d{8}'/,
    );
  });

  it("refuses a signature scoped to another service", async ({ emulator }) => {
    const response = await signedFetch(emulator, {
      path: encodedModelPath(HAIKU_3, "converse"),
      body: JSON.stringify(converseBody("Hi")),
      service: "sts",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      message: "Credential should be scoped to correct service: 'bedrock'.",
    });
  });

  it("answers an unknown path with UnknownOperationException after authentication", async ({ emulator }) => {
    const response = await signedFetch(emulator, { path: "/model/x/summon", body: "{}" });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });
});

describe("Bedrock API keys", () => {
  function bearerFetch(emulator: RunningEmulator, key: string) {
    return fetch(`${emulator.url}${encodedModelPath(HAIKU_3, "converse")}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(converseBody("Hi")),
    });
  }

  it("accepts the built-in key and records the caller as bearer", async ({ emulator }) => {
    const response = await bearerFetch(emulator, BUILTIN_BEDROCK_API_KEY);
    expect(response.status).toBe(200);
    expect(emulator.state.requests[0]).toMatchObject({ authType: "bearer", accessKeyId: "bearer", status: 200 });
  });

  it("accepts a key added through the control API and refuses it after a reset", async ({ emulator, control }) => {
    const key = "ABSKdGVzdC1rZXktYWRkZWQ=";
    expect((await bearerFetch(emulator, key)).status).toBe(403);
    expect((await control.send("api-keys", { key })).status).toBe(200);
    expect((await bearerFetch(emulator, key)).status).toBe(200);
    await control.reset();
    expect((await bearerFetch(emulator, key)).status).toBe(403);
  });

  it("refuses unknown and malformed keys with Bedrock's messages", async ({ emulator }) => {
    const unknown = await bearerFetch(emulator, "ABSKbm90LWEta2V5");
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toMatchObject({
      message: "Authentication failed: Please make sure your API Key is valid.",
    });
    const malformed = await bearerFetch(emulator, "sk-not-bedrock");
    expect(await malformed.json()).toMatchObject({
      message: "Invalid API Key format: Must start with pre-defined prefix",
    });
  });

  it("works through BedrockRuntimeClient's token option", async ({ emulator }) => {
    const bearerClient = new BedrockRuntimeClient({
      endpoint: emulator.url,
      region: "us-east-1",
      token: { token: BUILTIN_BEDROCK_API_KEY },
      authSchemePreference: ["httpBearerAuth"],
      maxAttempts: 1,
    });
    const response = await bearerClient.send(new ConverseCommand({ modelId: HAIKU_3, ...converseBody("Hi") } as never));
    expect(response.output?.message?.role).toBe("assistant");
    expect(emulator.state.requests[0]).toMatchObject({ authType: "bearer", httpVersion: "2.0" });
  });
});

describe("SigV4 on STS", () => {
  it("refuses a wrong secret with SignatureDoesNotMatch", async ({ emulator }) => {
    const error = await rejection(
      stsClient(emulator, { accessKeyId: BUILTIN_ACCESS_KEY_ID, secretAccessKey: "wrong" }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(error).toEqual({ name: "SignatureDoesNotMatch", message: SIGNATURE_MISMATCH, status: 403 });
  });

  it("refuses an unknown key with InvalidClientTokenId", async ({ emulator }) => {
    const error = await rejection(
      stsClient(emulator, { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x" }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(error).toMatchObject({ name: "InvalidClientTokenId", status: 403 });
  });

  it("refuses an unsigned request with MissingAuthenticationToken in STS's XML", async ({ emulator }) => {
    const response = await fetch(emulator.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(response.status).toBe(403);
    const xml = await response.text();
    expect(xml).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(xml).toContain("<Code>MissingAuthenticationToken</Code>");
  });
});
