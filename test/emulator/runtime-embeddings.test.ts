/** Embedding models on InvokeModel: each family's native body, its validation, and the documented vector rule. */
import { describe, expect, it } from "vitest";
import { cosine, embedText } from "../../src/emulator/runtime/embedding-vectors.js";
import { handleRuntime } from "../../src/emulator/runtime/index.js";
import { call, freshState, refusal } from "./runtime-helpers.js";

const TITAN_V2 = "amazon.titan-embed-text-v2:0";
const TITAN_V1 = "amazon.titan-embed-text-v1";
const COHERE_EN = "cohere.embed-english-v3";
const COHERE_V4 = "cohere.embed-v4:0";
const NOVA = "amazon.nova-2-multimodal-embeddings-v1:0";

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
async function invoke(modelId: string, body: unknown): Promise<{ body: any; headers: Record<string, string> }> {
  const result = await handleRuntime(call("InvokeModel", modelId, body), freshState());
  if (result.kind !== "json") throw new Error("expected JSON");
  return { body: result.body, headers: result.headers ?? {} };
}

async function refused(modelId: string, body: unknown, operation: "InvokeModel" | "Converse" = "InvokeModel") {
  const error = await refusal(handleRuntime(call(operation, modelId, body), freshState()));
  expect(error.errorName).toBe("ValidationException");
  expect(error.status).toBe(400);
  return error.message;
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("the vector rule", () => {
  it("gives the same text the same vector, and related texts a higher cosine than unrelated ones", () => {
    const a = embedText("The cat sat on the mat", 1024);
    expect(embedText("The cat sat on the mat", 1024)).toEqual(a);
    const related = cosine(a, embedText("A cat is sitting on a mat", 1024));
    const unrelated = cosine(a, embedText("Quarterly revenue grew by ten percent", 1024));
    expect(related).toBeGreaterThan(0.3);
    expect(Math.abs(unrelated)).toBeLessThan(0.1);
    expect(norm(a)).toBeCloseTo(1, 5);
  });

  it("is case-insensitive and ignores punctuation", () => {
    expect(embedText("Hello, World!", 256)).toEqual(embedText("hello world", 256));
  });
});

describe("Titan Text Embeddings V2", () => {
  it("answers embedding, inputTextTokenCount and embeddingsByType at the requested size", async () => {
    const { body, headers } = await invoke(TITAN_V2, { inputText: "hello embeddings", dimensions: 256 });
    expect(body.embedding).toHaveLength(256);
    expect(body.inputTextTokenCount).toBe(4);
    expect(body.embeddingsByType.float).toEqual(body.embedding);
    expect(headers["x-amzn-bedrock-input-token-count"]).toBe("4");
    expect(norm(body.embedding)).toBeCloseTo(1, 5);
  });

  it("defaults to 1024 dimensions, returns binary when asked, and leaves the vector unnormalised on request", async () => {
    const { body } = await invoke(TITAN_V2, {
      inputText: "binary please",
      normalize: false,
      embeddingTypes: ["binary", "float"],
    });
    expect(body.embedding).toHaveLength(1024);
    expect(body.embeddingsByType.binary).toEqual(body.embedding.map((v: number) => (v > 0 ? 1 : 0)));
    expect(norm(body.embedding)).toBeGreaterThan(1);
  });

  it.each([
    [{ inputText: "x", dimensions: 300 }, "#/dimensions: 300 is not a valid enum value"],
    [{ inputText: "" }, "#/inputText: expected minLength: 1, actual: 0"],
    [{ dimensions: 256 }, "#: required key [inputText] not found"],
    [{ inputText: "x", texts: ["x"] }, "#: extraneous key [texts] is not permitted"],
    [{ inputText: "x", embeddingTypes: ["int8"] }, "#/embeddingTypes/0: int8 is not a valid enum value"],
    [{ inputText: 5 }, "#/inputText: expected type: String, found: Integer"],
  ])("refuses %j", async (body, message) => {
    expect(await refused(TITAN_V2, body)).toBe(
      `Malformed input request: ${message}, please reformat your input and try again.`,
    );
  });

  it("reports every violation, as Bedrock's validator does", async () => {
    expect(await refused(TITAN_V2, { inputText: "", dimensions: 7 })).toContain(
      "#/inputText: expected minLength: 1, actual: 0#/dimensions: 7 is not a valid enum value",
    );
  });

  it("refuses more than 8,192 input tokens", async () => {
    expect(await refused(TITAN_V2, { inputText: "a".repeat(40_000) })).toBe(
      "400 Bad Request: Too many input tokens. Max input tokens: 8192, request input token count: 10000",
    );
  });

  it("G1 takes inputText only and answers 1,536 dimensions", async () => {
    const { body } = await invoke(TITAN_V1, { inputText: "old faithful" });
    expect(Object.keys(body)).toEqual(["embedding", "inputTextTokenCount"]);
    expect(body.embedding).toHaveLength(1536);
    expect(await refused(TITAN_V1, { inputText: "x", dimensions: 256 })).toContain(
      "#: extraneous key [dimensions] is not permitted",
    );
  });
});

describe("Cohere Embed v3", () => {
  it("answers embeddings_floats in input order with the texts echoed", async () => {
    const texts = ["first document", "second document", "first document"];
    const { body, headers } = await invoke(COHERE_EN, { texts, input_type: "search_document" });
    expect(body.response_type).toBe("embeddings_floats");
    expect(body.texts).toEqual(texts);
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.embeddings).toHaveLength(3);
    expect(body.embeddings[0]).toHaveLength(1024);
    expect(body.embeddings[2]).toEqual(body.embeddings[0]);
    expect(headers["x-amzn-bedrock-input-token-count"]).toBe(String(4 + 4 + 4));
  });

  it("answers embeddings_by_type with the quantised types asked for", async () => {
    const { body } = await invoke(COHERE_EN, {
      texts: ["quantise me"],
      input_type: "search_query",
      embedding_types: ["int8", "ubinary", "binary", "uint8"],
    });
    expect(body.response_type).toBe("embeddings_by_type");
    expect(Object.keys(body.embeddings).sort()).toEqual(["binary", "int8", "ubinary", "uint8"]);
    expect(body.embeddings.int8[0]).toHaveLength(1024);
    expect(body.embeddings.ubinary[0]).toHaveLength(128);
    expect(Math.max(...body.embeddings.int8[0].map(Math.abs))).toBe(127);
    expect(body.embeddings.uint8[0]).toEqual(body.embeddings.int8[0].map((v: number) => v + 128));
    expect(body.embeddings.binary[0]).toEqual(body.embeddings.ubinary[0].map((v: number) => v - 128));
  });

  it("a query embeds close to the document it names", async () => {
    const { body } = await invoke(COHERE_EN, {
      texts: ["How do I reset my password?", "Resetting your password takes two steps", "Our office is in Paris"],
      input_type: "clustering",
    });
    const [query, answer, other] = body.embeddings;
    expect(cosine(query, answer)).toBeGreaterThan(cosine(query, other));
  });

  it.each([
    [{ texts: ["x"] }, "#: required key [input_type] not found"],
    [{ input_type: "search_query" }, "#: required key [texts] not found"],
    [{ texts: ["x"], input_type: "search_doc" }, "#/input_type: search_doc is not a valid enum value"],
    [{ texts: [""], input_type: "search_query" }, "#/texts/0: expected minLength: 1, actual: 0"],
    [{ texts: ["x"], input_type: "search_query", output_dimension: 256 }, "#: extraneous key [output_dimension]"],
    [{ texts: ["x"], input_type: "search_query", truncate: "LEFT" }, "#/truncate: LEFT is not a valid enum value"],
  ])("refuses %j", async (body, message) => {
    expect(await refused(COHERE_EN, body)).toContain(message);
  });

  it("refuses more than 96 texts and texts over 2,048 characters", async () => {
    const many = Array.from({ length: 97 }, (_, i) => `text ${i}`);
    expect(await refused(COHERE_EN, { texts: many, input_type: "search_document" })).toBe(
      "Malformed input request: #/texts: expected maximum item count: 96, found: 97, please reformat your input and try again.",
    );
    expect(await refused(COHERE_EN, { texts: ["y".repeat(3000)], input_type: "search_document" })).toContain(
      "#/texts/0: expected maxLength: 2048, actual: 3000",
    );
  });

  it("names every missing key and extraneous key at once", async () => {
    expect(await refused(COHERE_EN, { inputText: "titan style" })).toBe(
      "Malformed input request: #: required key [texts] not found#: required key [input_type] not found#: extraneous key [inputText] is not permitted, please reformat your input and try again.",
    );
  });
});

describe("Cohere Embed v4", () => {
  it("always answers by type, at output_dimension (default 1,536)", async () => {
    const { body } = await invoke(COHERE_V4, { texts: ["hello", "world"], input_type: "search_document" });
    expect(body).toMatchObject({ texts: ["hello", "world"], response_type: "embeddings_by_type" });
    expect(Object.keys(body.embeddings)).toEqual(["float"]);
    expect(body.embeddings.float[0]).toHaveLength(1536);
    const small = await invoke(COHERE_V4, { texts: ["hello"], input_type: "search_query", output_dimension: 256 });
    expect(small.body.embeddings.float[0]).toHaveLength(256);
  });

  it("embeds interleaved inputs and images, and refuses a wrong output_dimension", async () => {
    const image = "data:image/png;base64,iVBORw0KGgo=";
    const { body } = await invoke(COHERE_V4, {
      input_type: "search_document",
      inputs: [
        {
          content: [
            { type: "text", text: "a chart" },
            { type: "image_url", image_url: image },
          ],
        },
      ],
    });
    expect(body.embeddings.float[0]).toHaveLength(1536);
    const images = await invoke(COHERE_V4, { input_type: "search_document", images: [image, image] });
    expect(images.body.embeddings.float[1]).toEqual(images.body.embeddings.float[0]);
    expect(await refused(COHERE_V4, { texts: ["x"], input_type: "search_query", output_dimension: 100 })).toContain(
      "#/output_dimension: 100 is not a valid enum value",
    );
  });

  it("truncates LEFT or RIGHT past max_tokens, and refuses with NONE", async () => {
    const text = "word ".repeat(40);
    const right = await invoke(COHERE_V4, {
      texts: [text],
      input_type: "search_query",
      max_tokens: 5,
      truncate: "RIGHT",
    });
    expect(right.headers["x-amzn-bedrock-input-token-count"]).toBe("5");
    expect(await refused(COHERE_V4, { texts: [text], input_type: "search_query", max_tokens: 5 })).toBe(
      "Input is too long for requested model.",
    );
  });
});

describe("Nova Multimodal Embeddings", () => {
  const request = (text: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    schemaVersion: "nova-multimodal-embed-v1",
    taskType: "SINGLE_EMBEDDING",
    singleEmbeddingParams: { embeddingPurpose: "GENERIC_INDEX", text, ...extra },
  });

  it("answers one TEXT embedding at embeddingDimension (default 3,072)", async () => {
    const { body, headers } = await invoke(NOVA, request({ truncationMode: "END", value: "hello nova" }));
    expect(body.embeddings).toHaveLength(1);
    expect(body.embeddings[0].embeddingType).toBe("TEXT");
    expect(body.embeddings[0].embedding).toHaveLength(3072);
    expect(body.embeddings[0].truncatedCharLength).toBeUndefined();
    expect(headers["x-amzn-bedrock-input-token-count"]).toBe("3");
    const small = await invoke(NOVA, request({ truncationMode: "END", value: "x" }, { embeddingDimension: 384 }));
    expect(small.body.embeddings[0].embedding).toHaveLength(384);
  });

  it("truncates a long text and says where", async () => {
    const { body } = await invoke(NOVA, request({ truncationMode: "END", value: "z".repeat(40_000) }));
    expect(body.embeddings[0].truncatedCharLength).toBe(32_768);
    expect(await refused(NOVA, request({ truncationMode: "NONE", value: "z".repeat(40_000) }))).toBe(
      "Input is too long for requested model.",
    );
  });

  it.each([
    [request({ value: "x" }), "#/singleEmbeddingParams/text: required key [truncationMode] not found"],
    [request({ truncationMode: "END", value: "x" }, { embeddingDimension: 512 }), "512 is not a valid enum value"],
    [
      { taskType: "SINGLE_EMBEDDING", singleEmbeddingParams: { text: { truncationMode: "END", value: "x" } } },
      "#/singleEmbeddingParams: required key [embeddingPurpose] not found",
    ],
    [request({ truncationMode: "END", value: "" }), "#/singleEmbeddingParams/text/value: expected minLength: 1"],
    [{ singleEmbeddingParams: {} }, "#: required key [taskType] not found"],
  ])("refuses %j", async (body, message) => {
    expect(await refused(NOVA, body)).toContain(message);
  });
});

describe("embedding models outside InvokeModel", () => {
  it("are refused by Converse, streams and CountTokens", async () => {
    const converse = { messages: [{ role: "user", content: [{ text: "hi" }] }] };
    expect(await refused(TITAN_V2, converse, "Converse")).toBe(
      "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
    );
    const stream = await refusal(
      handleRuntime(call("InvokeModelWithResponseStream", COHERE_EN, { texts: ["x"] }), freshState()),
    );
    expect(stream.message).toBe("The model is unsupported for streaming.");
    const count = await refusal(handleRuntime(call("CountTokens", TITAN_V2, { input: { converse } }), freshState()));
    expect(count.message).toContain("doesn't support counting tokens");
  });
});
