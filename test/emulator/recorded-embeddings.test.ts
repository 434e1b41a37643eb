/**
 * The emulator's Cohere Embed v4 answer held to the one embedding response recorded from Bedrock
 * (test/fixtures/bedrock-fixtures/ai-sdk/amazon-bedrock-cohere-v4-application-inference-profile.json: two texts,
 * float embeddings of 256 dimensions). The vectors' values are the emulator's own (deterministic, not Cohere's);
 * the members, the texts echoed, the response type and the dimensions must match.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { readFixture } from "./botocore.js";
import { callRuntime } from "./wire.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
});
afterAll(() => emulator.close());

it("answers Cohere Embed v4 with the recorded members, texts, response type and dimensions", async () => {
  const recorded = JSON.parse(readFixture("amazon-bedrock-cohere-v4-application-inference-profile.json"));
  const answer = await callRuntime(emulator, "cohere.embed-v4:0", "invoke", {
    texts: recorded.texts,
    input_type: "search_document",
    embedding_types: ["float"],
    output_dimension: 256,
  });
  expect(answer.status).toBe(200);
  const body = answer.json as typeof recorded;
  expect(Object.keys(body).sort()).toEqual(Object.keys(recorded).sort());
  expect(Object.keys(body.embeddings)).toEqual(Object.keys(recorded.embeddings));
  expect(body.texts).toEqual(recorded.texts);
  expect(body.response_type).toBe(recorded.response_type);
  expect(body.embeddings.float.map((v: number[]) => v.length)).toEqual(
    recorded.embeddings.float.map((v: number[]) => v.length),
  );
});
