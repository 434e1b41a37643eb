/**
 * Third-party Bedrock clients against the emulator. Each canonicalises the model id's `:` its own way (the
 * Anthropic SDK sends it raw, the AI SDK signs with aws4fetch), and each must pass SigV4 verification as on AWS.
 */
import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import AnthropicBedrock from "@anthropic-ai/bedrock-sdk";
import { cosineSimilarity, embed, embedMany, generateText, streamText } from "ai";
import { describe, expect } from "vitest";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_BEDROCK_API_KEY,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
} from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { HAIKU_3, REGION } from "./helpers.js";

function anthropic(emulator: RunningEmulator, options: { secret?: string; apiKey?: string } = {}) {
  const common = {
    baseURL: emulator.url,
    awsRegion: REGION,
    maxRetries: 0,
  };
  if (options.apiKey) return new AnthropicBedrock({ ...common, apiKey: options.apiKey });
  return new AnthropicBedrock({
    ...common,
    awsAccessKey: BUILTIN_ACCESS_KEY_ID,
    awsSecretKey: options.secret ?? BUILTIN_SECRET_ACCESS_KEY,
  });
}

function aiSdk(emulator: RunningEmulator, options: { secret?: string; apiKey?: string } = {}) {
  return createAmazonBedrock({
    baseURL: emulator.url,
    region: REGION,
    ...(options.apiKey
      ? { apiKey: options.apiKey }
      : { accessKeyId: BUILTIN_ACCESS_KEY_ID, secretAccessKey: options.secret ?? BUILTIN_SECRET_ACCESS_KEY }),
  });
}

describe("@anthropic-ai/bedrock-sdk", () => {
  it("signs the raw `:` path and gets a Messages reply from InvokeModel", async ({ emulator }) => {
    const message = await anthropic(emulator).messages.create({
      model: HAIKU_3,
      max_tokens: 64,
      messages: [{ role: "user", content: "Hello from the Anthropic SDK" }],
    });
    expect(message.role).toBe("assistant");
    expect(message.content[0]?.type).toBe("text");
    const record = emulator.state.requests.at(-1);
    expect(record).toMatchObject({ operation: "InvokeModel", modelId: HAIKU_3, status: 200, authType: "sigv4" });
    expect(record?.path).toContain(":0/invoke");
  });

  it("streams through InvokeModelWithResponseStream", async ({ emulator }) => {
    const stream = anthropic(emulator).messages.stream({
      model: HAIKU_3,
      max_tokens: 64,
      messages: [{ role: "user", content: "Stream it" }],
    });
    const text = await stream.finalText();
    expect(text.length).toBeGreaterThan(0);
    expect(emulator.state.requests.at(-1)?.operation).toBe("InvokeModelWithResponseStream");
  });

  it("is refused with a wrong secret", async ({ emulator }) => {
    await expect(
      anthropic(emulator, { secret: "wrong-secret" }).messages.create({
        model: HAIKU_3,
        max_tokens: 16,
        messages: [{ role: "user", content: "Hi" }],
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(emulator.state.requests.at(-1)).toMatchObject({ status: 403, operation: "InvokeModel" });
  });

  it("authenticates with a Bedrock API key", async ({ emulator }) => {
    const message = await anthropic(emulator, { apiKey: BUILTIN_BEDROCK_API_KEY }).messages.create({
      model: HAIKU_3,
      max_tokens: 16,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(message.role).toBe("assistant");
    expect(emulator.state.requests.at(-1)).toMatchObject({ authType: "bearer", accessKeyId: "bearer" });
  });
});

describe("@ai-sdk/amazon-bedrock", () => {
  it("generateText goes through Converse with an aws4fetch signature", async ({ emulator }) => {
    const result = await generateText({
      model: aiSdk(emulator)(HAIKU_3),
      prompt: "Hello from the AI SDK",
      maxRetries: 0,
    });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(emulator.state.requests.at(-1)).toMatchObject({ operation: "Converse", modelId: HAIKU_3, status: 200 });
  });

  it("streamText decodes the event stream", async ({ emulator }) => {
    const result = streamText({ model: aiSdk(emulator)(HAIKU_3), prompt: "Stream from the AI SDK", maxRetries: 0 });
    expect((await result.text).length).toBeGreaterThan(0);
    expect(emulator.state.requests.at(-1)?.operation).toBe("ConverseStream");
  });

  it("fails with a wrong secret", async ({ emulator }) => {
    await expect(
      generateText({ model: aiSdk(emulator, { secret: "nope" })(HAIKU_3), prompt: "Hi", maxRetries: 0 }),
    ).rejects.toThrow(/signature we calculated does not match/);
  });

  it("authenticates with a Bedrock API key", async ({ emulator }) => {
    const result = await generateText({
      model: aiSdk(emulator, { apiKey: BUILTIN_BEDROCK_API_KEY })(HAIKU_3),
      prompt: "Hi",
      maxRetries: 0,
    });
    expect(result.text.length).toBeGreaterThan(0);
    expect(emulator.state.requests.at(-1)).toMatchObject({ authType: "bearer" });
  });

  it("embeds with Titan, Cohere and Nova through InvokeModel", async ({ emulator }) => {
    const bedrock = aiSdk(emulator);
    const titan = await embed({
      model: bedrock.embedding("amazon.titan-embed-text-v2:0"),
      value: "hello",
      maxRetries: 0,
    });
    expect(titan.embedding).toHaveLength(1024);
    expect(titan.usage.tokens).toBe(2);
    const cohere = await embedMany({
      model: bedrock.embedding("cohere.embed-v4:0"),
      values: ["a red apple", "a red apple pie", "tax law"],
      maxRetries: 0,
    });
    const [apple, pie, tax] = cohere.embeddings;
    expect(apple).toHaveLength(1536);
    expect(cosineSimilarity(apple ?? [], pie ?? [])).toBeGreaterThan(cosineSimilarity(apple ?? [], tax ?? []));
    const nova = await embed({
      model: bedrock.embedding("amazon.nova-2-multimodal-embeddings-v1:0"),
      value: "hello nova",
      maxRetries: 0,
    });
    expect(nova.embedding).toHaveLength(1024);
    expect(emulator.state.requests.at(-1)).toMatchObject({ operation: "InvokeModel", status: 200 });
  });
});
