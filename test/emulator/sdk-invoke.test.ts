/**
 * InvokeModel, InvokeModelWithResponseStream and CountTokens through the unmodified AWS SDK (HTTP/2, SigV4, event
 * streams) against the emulator on a loopback port: embedding bodies, the native Anthropic body, faults, and token
 * counts that match what the calls report.
 */
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect } from "vitest";
import { cosine } from "../../src/emulator/runtime/embedding-vectors.js";
import { test } from "../support/fixtures.js";
import { bedrockClient, SONNET_45_PROFILE } from "./helpers.js";

/** One SDK client for the file, signed with the built-in keys, no retries. */
const it = test.extend("client", { scope: "file" }, ({ emulator }, { onCleanup }) => {
  const client = bedrockClient(emulator);
  onCleanup(() => client.destroy());
  return client;
});

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
async function invoke(client: BedrockRuntimeClient, modelId: string, body: unknown): Promise<{ json: any }> {
  const res = await client.send(
    new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: "application/json" }),
  );
  return { json: JSON.parse(new TextDecoder().decode(res.body)) };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof Error)) throw new Error("expected the call to fail");
  return error;
}

// biome-ignore lint/suspicious/noExplicitAny: decoded chunks are loosely typed.
async function streamChunks(client: BedrockRuntimeClient, modelId: string, body: unknown): Promise<any[]> {
  const res = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify(body) }));
  // biome-ignore lint/suspicious/noExplicitAny: decoded chunks are loosely typed.
  const chunks: any[] = [];
  for await (const event of res.body ?? []) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk?.bytes)));
  return chunks;
}

const native = (extra: Record<string, unknown> = {}) => ({
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 1024,
  messages: [{ role: "user", content: "hello from the sdk" }],
  ...extra,
});

describe("embedding models over InvokeModelCommand", () => {
  it("Titan V2 answers a normalised vector of the requested size", async ({ client }) => {
    const { json } = await invoke(client, "amazon.titan-embed-text-v2:0", {
      inputText: "vector please",
      dimensions: 512,
    });
    expect(json.embedding).toHaveLength(512);
    expect(json.embeddingsByType.float).toEqual(json.embedding);
    expect(json.inputTextTokenCount).toBe(4);
  });

  it("Cohere v3 batches keep their order, and related texts come out closer", async ({ client }) => {
    const texts = ["the cat sleeps on the sofa", "a cat sleeping on a sofa", "interest rates rose in May"];
    const { json } = await invoke(client, "cohere.embed-multilingual-v3", { texts, input_type: "search_document" });
    const [a, b, c] = json.embeddings;
    expect(json.texts).toEqual(texts);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });

  it("Cohere v4 and Nova answer their own shapes", async ({ client }) => {
    const cohere = await invoke(client, "cohere.embed-v4:0", {
      texts: ["hello", "world"],
      input_type: "search_query",
      output_dimension: 256,
    });
    expect(cohere.json.response_type).toBe("embeddings_by_type");
    expect(cohere.json.embeddings.float).toHaveLength(2);
    expect(cohere.json.embeddings.float[0]).toHaveLength(256);
    const nova = await invoke(client, "amazon.nova-2-multimodal-embeddings-v1:0", {
      taskType: "SINGLE_EMBEDDING",
      singleEmbeddingParams: {
        embeddingPurpose: "TEXT_RETRIEVAL",
        embeddingDimension: 1024,
        text: { truncationMode: "END", value: "hello nova" },
      },
    });
    expect(nova.json.embeddings[0].embeddingType).toBe("TEXT");
    expect(nova.json.embeddings[0].embedding).toHaveLength(1024);
  });

  it("bad bodies are ValidationExceptions with Bedrock's message", async ({ client }) => {
    const error = await failure(
      invoke(client, "cohere.embed-english-v3", {
        texts: Array.from({ length: 100 }, () => "x"),
        input_type: "clustering",
      }),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(
      "Malformed input request: #/texts: expected maximum item count: 96, found: 100, please reformat your input and try again.",
    );
    const titan = await failure(invoke(client, "amazon.titan-embed-text-v2:0", { inputText: "x", dimensions: 2048 }));
    expect(titan.message).toContain("#/dimensions: 2048 is not a valid enum value");
  });
});

describe("the native Anthropic body over the SDK", () => {
  const tool = { name: "lookup", description: "Look it up", input_schema: { type: "object" } };

  it("InvokeModel forces a tool call with tool_choice and accepts the betas Bedrock takes", async ({ client }) => {
    const { json } = await invoke(
      client,
      SONNET_45_PROFILE,
      native({
        tools: [tool],
        tool_choice: { type: "tool", name: "lookup" },
        anthropic_beta: ["token-efficient-tools-2025-02-19"],
      }),
    );
    expect(json.stop_reason).toBe("tool_use");
    expect(json.content[0]).toMatchObject({ type: "tool_use", name: "lookup" });
    const error = await failure(
      invoke(client, SONNET_45_PROFILE, native({ anthropic_beta: ["mcp-servers-2025-12-04"] })),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe("invalid beta flag");
  });

  it("InvokeModelWithResponseStream streams a scripted reply with a tool call", async ({ client, control }) => {
    await control.respond({ text: "Let me look.", toolCalls: [{ name: "lookup", input: { q: "x" } }] });
    const chunks = await streamChunks(client, SONNET_45_PROFILE, native({ tools: [tool] }));
    const text = chunks.map((c) => c.delta?.text ?? "").join("");
    const json = chunks.map((c) => c.delta?.partial_json ?? "").join("");
    expect(text).toBe("Let me look.");
    expect(JSON.parse(json)).toEqual({ q: "x" });
    expect(chunks.at(-2).delta.stop_reason).toBe("tool_use");
    expect(chunks.at(-1)["amazon-bedrock-invocationMetrics"]).toMatchObject({ inputTokenCount: expect.any(Number) });
  });

  it("faults apply to InvokeModel and, mid-stream, to InvokeModelWithResponseStream", async ({ client, control }) => {
    await control.fault({ operation: "InvokeModel", error: "ThrottlingException" });
    const throttled = await failure(invoke(client, SONNET_45_PROFILE, native()));
    expect(throttled).toBeInstanceOf(ThrottlingException);
    await control.fault({
      operation: "InvokeModelWithResponseStream",
      error: "ModelStreamErrorException",
      afterEvents: 2,
    });
    const seen: string[] = [];
    const res = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: SONNET_45_PROFILE, body: JSON.stringify(native()) }),
    );
    const error = await (async () => {
      for await (const event of res.body ?? [])
        seen.push(JSON.parse(new TextDecoder().decode(event.chunk?.bytes)).type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["message_start", "content_block_start"]);
    expect((error as Error).name).toBe("ModelStreamErrorException");
  });
});

describe("CountTokensCommand", () => {
  it("counts what InvokeModel and Converse report as input, cache tokens included", async ({ client }) => {
    const system = [{ type: "text", text: "p".repeat(4 * 1500), cache_control: { type: "ephemeral" } }];
    const body = native({ system });
    const { json } = await invoke(client, SONNET_45_PROFILE, body);
    const reported =
      json.usage.input_tokens + json.usage.cache_creation_input_tokens + json.usage.cache_read_input_tokens;
    const counted = await client.send(
      new CountTokensCommand({
        modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
        input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(body)) } },
      }),
    );
    expect(counted.inputTokens).toBe(reported);
    expect(json.usage.cache_creation_input_tokens).toBe(1500);

    const converse = {
      system: [{ text: "p".repeat(4 * 1500) }, { cachePoint: { type: "default" as const } }],
      messages: [{ role: "user" as const, content: [{ text: "hello from the sdk" }] }],
    };
    const used = (await client.send(new ConverseCommand({ modelId: SONNET_45_PROFILE, ...converse }))).usage;
    const countedConverse = await client.send(
      new CountTokensCommand({ modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0", input: { converse } }),
    );
    expect(countedConverse.inputTokens).toBe(
      (used?.inputTokens ?? 0) + (used?.cacheReadInputTokens ?? 0) + (used?.cacheWriteInputTokens ?? 0),
    );
    expect(countedConverse.inputTokens).toBe(counted.inputTokens);
  });

  it("is refused for an embedding model", async ({ client }) => {
    const error = await failure(
      client.send(
        new CountTokensCommand({
          modelId: "amazon.titan-embed-text-v2:0",
          input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify({ inputText: "x" })) } },
        }),
      ),
    );
    expect(error).toBeInstanceOf(ValidationException);
  });
});
