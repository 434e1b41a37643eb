// The embeddings door through the official openai client, against the gateway on port 0 over the emulator: floats
// (the client asks base64 and decodes it) and base64, array input in order across Cohere's runs of 96, dimensions,
// model names, errors, and the access log and metrics.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, control, type Harness, recordedRequests, startHarness } from "./harness.js";

const TITAN_V2 = "amazon.titan-embed-text-v2:0";
const COHERE_V3 = "cohere.embed-english-v3";

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness({}, undefined, { embedder: { model: "bedrock/cohere.embed-v4:0" } });
  client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
});

function decode(base64: string): number[] {
  const bytes = Buffer.from(base64, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

describe("gateway: embeddings", () => {
  it("answers embeddings.create with OpenAI's list: vectors (sent base64, decoded by the client), usage", async () => {
    const res = await client.embeddings.create({ model: TITAN_V2, input: "The cat sat on the mat" });
    expect(res.object).toBe("list");
    expect(res.data).toHaveLength(1);
    expect(res.data[0]).toMatchObject({ object: "embedding", index: 0 });
    const vector = res.data[0]?.embedding as number[];
    expect(vector).toHaveLength(1024);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    const tokens = Math.ceil("The cat sat on the mat".length / 4);
    expect(res.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    const [sent] = await recordedRequests(h.emulator.url);
    expect(sent).toMatchObject({ operation: "InvokeModel", modelId: TITAN_V2 });
  });

  it("takes an array: Cohere's runs of 96 come back as one list, in order; floats and base64 agree", async () => {
    const input = Array.from({ length: 130 }, (_, i) => `passage ${i} on subject ${i % 5}`);
    const floats = await client.embeddings.create({ model: `bedrock/${COHERE_V3}`, input, encoding_format: "float" });
    expect(floats.data.map((d) => d.index)).toEqual(input.map((_, i) => i));
    const sent = await recordedRequests(h.emulator.url);
    expect(sent.map((r) => (r.body as { texts: string[] }).texts)).toEqual([input.slice(0, 96), input.slice(96)]);
    const alone = await client.embeddings.create({
      model: COHERE_V3,
      input: input[120] as string,
      encoding_format: "float",
    });
    expect(floats.data[120]?.embedding).toEqual(alone.data[0]?.embedding);

    const encoded = await client.embeddings.create({ model: COHERE_V3, input, encoding_format: "base64" });
    const first = encoded.data[0]?.embedding as unknown as string;
    expect(typeof first).toBe("string");
    expect(decode(first)).toEqual((floats.data[0]?.embedding ?? []).map((x) => Math.fround(x)));
  });

  it("passes dimensions and input_type, and serves a [llm.NAME] section", async () => {
    const res = await client.embeddings.create({
      model: "embedder",
      input: ["query one", "query two"],
      dimensions: 256,
      // @ts-expect-error input_type is this gateway's addition (Cohere, Nova)
      input_type: "search_query",
    });
    expect(res.data.map((d) => d.embedding.length)).toEqual([256, 256]);
    const [sent] = await recordedRequests(h.emulator.url);
    expect(sent?.modelId).toBe("us.cohere.embed-v4:0"); // the section inherits cross_region_target "us"
    expect(sent?.body).toMatchObject({ output_dimension: 256, input_type: "search_query" });
  });

  it("refuses what the model cannot take with OpenAI's 400, before anything is sent", async () => {
    const cases: [Record<string, unknown>, RegExp, string | null][] = [
      [{ model: TITAN_V2, input: "x", dimensions: 300 }, /dimensions 300 is not offered.*256, 512, 1024/, null],
      [{ model: COHERE_V3, input: ["ok", ""] }, /input\[1\] is empty/, null],
      [{ model: COHERE_V3, input: "a".repeat(2049) }, /at most 2048/, null],
      [{ model: "default", input: "x" }, /not an embedding model/, null],
      [{ model: TITAN_V2, input: [[1, 2, 3]] }, /token arrays are not accepted/, "input"],
      [{ model: TITAN_V2 }, /input/, "input"],
    ];
    for (const [body, message, param] of cases) {
      const failure = await client.embeddings
        .create(body as unknown as OpenAI.EmbeddingCreateParams)
        .catch((error: unknown) => error);
      expect(failure, JSON.stringify(body).slice(0, 80)).toBeInstanceOf(OpenAI.BadRequestError);
      const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
      expect(error.message).toMatch(message);
      expect(error.param ?? null).toBe(param);
      expect(error.type).toBe("invalid_request_error");
    }
    expect(await recordedRequests(h.emulator.url)).toEqual([]);
  });

  it("answers an unknown model with 404 model_not_found, and Bedrock's throttling with 429", async () => {
    const unknown = await client.embeddings.create({ model: "text-embedding-3-small", input: "x" }).catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");

    await control(h.emulator.url, "faults", { operation: "InvokeModel", error: "ThrottlingException", count: 5 });
    const throttled = await client.embeddings.create({ model: TITAN_V2, input: "x" }).catch((e) => e);
    expect(throttled).toBeInstanceOf(OpenAI.RateLimitError);
    expect((throttled as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toMatch(/^\d+$/);
  });

  it("writes usage and cost to the access log and /metrics; /v1/models lists embedding models", async () => {
    const before = h.logs.length;
    const res = await client.embeddings.create({ model: TITAN_V2, input: "private text about invoices" });
    const entry = h.logs.at(-1);
    expect(h.logs.length).toBe(before + 1);
    expect(entry).toMatchObject({
      method: "POST",
      path: "/v1/embeddings",
      status: 200,
      model: TITAN_V2,
      stream: false,
      prompt_tokens: res.usage.prompt_tokens,
      completion_tokens: 0,
    });
    expect(entry?.cost).toBeCloseTo((res.usage.prompt_tokens * 0.02) / 1e6, 15);
    expect(JSON.stringify(h.logs)).not.toContain("private text about invoices");

    const metrics = await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(await metrics.text()).toMatch(/^bedrock_llm_gateway_tokens_total\{kind="input"\} [1-9]/m);

    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([TITAN_V2, COHERE_V3, "cohere.embed-v4:0", "embedder"]));
  });
});
