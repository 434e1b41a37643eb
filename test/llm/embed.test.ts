/** embed() against the emulator: each family's native body, runs of 96 rejoined in order, base64, limits. */
import { describe, expect } from "vitest";
import { ThrottlingError, ValidationError } from "../../src/errors.js";
import type { EmbeddingRequest } from "../../src/llm/index.js";
import { it } from "./emulator.js";
import { SONNET_45 } from "./helpers.js";

const TITAN_V2 = "amazon.titan-embed-text-v2:0";
const COHERE_V3 = "cohere.embed-english-v3";
const COHERE_V4 = "cohere.embed-v4:0";
const NOVA = "amazon.nova-2-multimodal-embeddings-v1:0";

function norm(vector: readonly number[]): number {
  return Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
}

function cosine(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0) / (norm(a) * norm(b));
}

function floats(embedding: number[] | string | undefined): number[] {
  if (!Array.isArray(embedding)) throw new Error(`expected a float vector, got ${typeof embedding}`);
  return embedding;
}

describe("embed", () => {
  it("Titan V2: the native body with dimensions and normalize, OpenAI's shape, tokens and cost", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(TITAN_V2);
    const text = "The cat sat on the mat";
    const response = await llm.embed({ input: text, dimensions: 256 });
    expect(response).toMatchObject({ object: "list", model: TITAN_V2 });
    expect(response.data).toHaveLength(1);
    const vector = floats(response.data[0]?.embedding);
    expect(response.data[0]).toMatchObject({ object: "embedding", index: 0 });
    expect(vector).toHaveLength(256);
    expect(norm(vector)).toBeCloseTo(1, 5);
    const tokens = Math.ceil(text.length / 4); // the emulator's documented rule
    expect(response.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    expect(response.cost).toBeCloseTo((tokens * 0.02) / 1e6, 15); // $0.02 per 1M input tokens
    expect(llm.metrics).toMatchObject({ prompt_tokens: tokens, completion_tokens: 0, accumulated_cost: response.cost });
    const sent = await control.requests();
    expect(sent.map((r) => [r.operation, r.modelId])).toEqual([["InvokeModel", TITAN_V2]]);
    expect(sent[0]?.body).toEqual({ inputText: text, dimensions: 256, normalize: true });
  });

  it("Titan: one call per text, vectors in order; the same text gives the same vector", async ({ llmFor, control }) => {
    const llm = llmFor(TITAN_V2);
    const input = ["a cat on a mat", "stock prices fell", "a cat on a mat"];
    const response = await llm.embed({ input });
    expect(response.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const [a, b, c] = response.data.map((d) => floats(d.embedding));
    expect(a).toHaveLength(1024);
    expect(c).toEqual(a);
    expect(cosine(a as number[], b as number[])).toBeLessThan(0.5);
    const sent = await control.requests();
    expect(sent.map((r) => (r.body as { inputText: string }).inputText)).toEqual(input);
  });

  it("Cohere v3: more than 96 texts go out in runs of 96 and come back in order, with the header's token count", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(COHERE_V3);
    const input = Array.from({ length: 150 }, (_, i) => `document number ${i} about topic ${i % 7}`);
    const response = await llm.embed({ input, input_type: "search_query" });
    expect(response.data).toHaveLength(150);
    expect(response.data.map((d) => d.index)).toEqual(input.map((_, i) => i));
    const sent = await control.requests();
    expect(sent.map((r) => (r.body as { texts: string[] }).texts.length)).toEqual([96, 54]);
    expect(sent[0]?.body).toMatchObject({
      input_type: "search_query",
      embedding_types: ["float"],
      texts: input.slice(0, 96),
    });
    expect(sent[1]?.body).toMatchObject({ texts: input.slice(96) });
    const tokens = input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    expect(response.usage.prompt_tokens).toBe(tokens);
    // Each vector is its own text's: the same as embedding that text alone.
    for (const index of [0, 95, 96, 149]) {
      const alone = await llm.embed({ input: input[index] as string, input_type: "search_query" });
      expect(response.data[index]?.embedding).toEqual(alone.data[0]?.embedding);
    }
  });

  it("Cohere v4: output_dimension; the configured model or a per-call model", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45); // a chat model with cross_region_target "us"
    const response = await llm.embed({ input: ["alpha", "beta"], model: `bedrock/${COHERE_V4}`, dimensions: 512 });
    expect(response.data.map((d) => floats(d.embedding).length)).toEqual([512, 512]);
    const [sent] = await control.requests();
    expect(sent?.modelId).toBe(`us.${COHERE_V4}`); // Cohere v4 has a us. profile: [llm]'s target applies
    expect(sent?.body).toEqual({
      texts: ["alpha", "beta"],
      input_type: "search_document",
      embedding_types: ["float"],
      output_dimension: 512,
    });
    expect(response.cost).toBeCloseTo((response.usage.prompt_tokens * 0.12) / 1e6, 15);
    // Titan has no profile: its plain id, whatever [llm]'s cross_region_target.
    await llm.embed({ input: "gamma", model: TITAN_V2 });
    expect((await control.requests()).at(-1)?.modelId).toBe(TITAN_V2);
  });

  it("Nova: embeddingDimension and the purpose from input_type", async ({ llmFor, control }) => {
    const response = await llmFor(NOVA).embed({ input: "find the cat", dimensions: 384, input_type: "search_query" });
    expect(floats(response.data[0]?.embedding)).toHaveLength(384);
    expect(response.usage.prompt_tokens).toBe(Math.ceil("find the cat".length / 4));
    const [sent] = await control.requests();
    expect(sent?.body).toEqual({
      schemaVersion: "nova-multimodal-embed-v1",
      taskType: "SINGLE_EMBEDDING",
      singleEmbeddingParams: {
        embeddingPurpose: "GENERIC_RETRIEVAL",
        embeddingDimension: 384,
        text: { truncationMode: "NONE", value: "find the cat" },
      },
    });
  });

  it("base64: little-endian float32, as OpenAI encodes it", async ({ llmFor }) => {
    const llm = llmFor(COHERE_V3);
    const plain = await llm.embed({ input: ["one text", "another"] });
    const encoded = await llm.embed({ input: ["one text", "another"], encoding_format: "base64" });
    for (const [index, item] of encoded.data.entries()) {
      expect(typeof item.embedding).toBe("string");
      const bytes = Buffer.from(item.embedding as string, "base64");
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const decoded = Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
      const expected = floats(plain.data[index]?.embedding).map((x) => Math.fround(x));
      expect(decoded).toEqual(expected);
    }
  });

  it("retries throttling as completions do, and throws ThrottlingError when retries run out", async ({
    llmFor,
    control,
  }) => {
    const retry = { num_retries: 2, retry_min_wait: 0.01, retry_max_wait: 0.02 };
    await control.fault({ operation: "InvokeModel", error: "ThrottlingException", count: 1 });
    const llm = llmFor(TITAN_V2, retry);
    const response = await llm.embed({ input: "retry me" });
    expect(response.data).toHaveLength(1);
    expect(llm.metrics.retries).toBe(1);

    await control.fault({ operation: "InvokeModel", error: "ThrottlingException", count: 3 });
    await expect(llmFor(TITAN_V2, { ...retry, num_retries: 1 }).embed({ input: "again" })).rejects.toBeInstanceOf(
      ThrottlingError,
    );
  });

  const refused: [string, string, EmbeddingRequest, RegExp][] = [
    [
      "a dimension the model does not offer",
      TITAN_V2,
      { input: "x", dimensions: 300 },
      /dimensions 300 .*256, 512, 1024/,
    ],
    ["dimensions on a one-size model", COHERE_V3, { input: "x", dimensions: 512 }, /dimensions 512 .*use 1024/],
    ["an empty text", COHERE_V3, { input: ["fine", ""] }, /input\[1\] is empty/],
    ["an empty list", TITAN_V2, { input: [] }, /at least one text/],
    ["too many texts", COHERE_V3, { input: Array.from({ length: 2049 }, () => "t") }, /2049 texts: at most 2048/],
    ["a text over the model's characters", COHERE_V3, { input: "a".repeat(2049) }, /2049 characters.* at most 2048/],
    ["a text over Titan's characters", TITAN_V2, { input: "a".repeat(50_001) }, /at most 50000/],
    ["an unknown input_type", COHERE_V4, { input: "x", input_type: "query" as never }, /input_type must be one of/],
    ["an unknown encoding", TITAN_V2, { input: "x", encoding_format: "int8" as never }, /encoding_format/],
    ["token arrays", TITAN_V2, { input: [[1, 2, 3]] as never }, /array of strings/],
    ["a chat model", SONNET_45, { input: "x" }, /not an embedding model: embed\(\) takes one of .*cohere\.embed-v4:0/],
  ];

  it.for(refused)(
    "refuses %s before anything is sent",
    async ([_what, model, request, message], { llmFor, control }) => {
      const llm = llmFor(model);
      const failure = await llm.embed(request).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ValidationError);
      expect((failure as Error).message).toMatch(message);
      expect(await control.requests()).toEqual([]);
    },
  );

  it("Bedrock's own refusal (a text over the token limit) is a ValidationError", async ({ llmFor }) => {
    // 40,000 characters pass Titan's character limit but not its 8,192 tokens (the emulator's rule: 4 a token).
    const failure = await llmFor(TITAN_V2)
      .embed({ input: "word ".repeat(8000) })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
  });
});
