/** The real AWS SDK clients against the emulator: Bedrock Runtime over HTTP/2, STS over HTTP/1.1. */
import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect } from "vitest";
import { it } from "../support/fixtures.js";
import { bedrockClient, converseBody, HAIKU_3, stsClient } from "./helpers.js";

describe("BedrockRuntimeClient with default settings", () => {
  it("answers Converse over HTTP/2 and records the call", async ({ emulator }) => {
    const response = await bedrockClient(emulator).send(
      new ConverseCommand({ modelId: HAIKU_3, ...converseBody("Hello there") } as never),
    );
    expect(response.output?.message?.role).toBe("assistant");
    expect(response.usage?.inputTokens).toBeGreaterThan(0);
    const record = emulator.state.requests.at(-1);
    expect(record).toMatchObject({ operation: "Converse", modelId: HAIKU_3, httpVersion: "2.0", status: 200 });
  });

  it("streams ConverseStream events", async ({ emulator }) => {
    const response = await bedrockClient(emulator).send(
      new ConverseStreamCommand({ modelId: HAIKU_3, ...converseBody("Stream please") } as never),
    );
    const types: string[] = [];
    for await (const event of response.stream ?? []) types.push(Object.keys(event)[0] as string);
    expect(types[0]).toBe("messageStart");
    expect(types).toContain("contentBlockDelta");
    expect(types.at(-1)).toBe("metadata");
    const record = emulator.state.requests.at(-1);
    expect(record).toMatchObject({ operation: "ConverseStream", httpVersion: "2.0", status: 200 });
    expect(record?.clientClosed).toBeUndefined();
  });
});

describe("STSClient", () => {
  it("returns the built-in identity", async ({ emulator }) => {
    const identity = await stsClient(emulator).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/emulator" });
    expect(emulator.state.requests.at(-1)).toMatchObject({ operation: "GetCallerIdentity", httpVersion: "1.1" });
  });
});
