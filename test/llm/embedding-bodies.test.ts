/** The embedding families' bodies and readers on their own: runs in order, both Cohere response shapes, limits. */
import { describe, expect, it } from "vitest";
import { checkDimensions, checkTexts, embeddingFamily } from "../../src/bedrock/embeddings/index.js";
import { ValidationError } from "../../src/errors.js";
import { toBase64 } from "../../src/llm/embed.js";
import { lookupModel } from "../../src/models/index.js";
import type { EmbeddingSupport } from "../../src/models/types.js";

function support(id: string): EmbeddingSupport {
  const found = lookupModel(id)?.embedding;
  if (!found) throw new Error(`${id} has no embedding row`);
  return found;
}

describe("embedding bodies", () => {
  it("Cohere: runs of at most 96 texts that rejoin to the input, in order", () => {
    const cohere = support("cohere.embed-v4:0");
    const texts = Array.from({ length: 200 }, (_, i) => `t${i}`);
    const batches = embeddingFamily(cohere).batches(texts, { dimensions: 256, inputType: "clustering" }, cohere);
    expect(batches.map((b) => b.texts.length)).toEqual([96, 96, 8]);
    expect(batches.flatMap((b) => b.texts)).toEqual(texts);
    expect(batches[2]?.body).toEqual({
      texts: texts.slice(192),
      input_type: "clustering",
      embedding_types: ["float"],
      output_dimension: 256,
    });
  });

  it("Cohere: reads float vectors from either response shape", () => {
    const { read } = embeddingFamily(support("cohere.embed-english-v3"));
    expect(read({ response_type: "embeddings_floats", embeddings: [[1, 2]] }).vectors).toEqual([[1, 2]]);
    expect(read({ response_type: "embeddings_by_type", embeddings: { float: [[3, 4]] } }).vectors).toEqual([[3, 4]]);
    expect(() => read({ embeddings: { int8: [[1]] } })).toThrow(/Cohere embedding response/);
  });

  it("Titan G1 sends only inputText; Titan V2 leaves dimensions out unless asked", () => {
    const v1 = support("amazon.titan-embed-text-v1");
    const v2 = support("amazon.titan-embed-text-v2:0");
    const options = { dimensions: undefined, inputType: "search_document" as const };
    expect(embeddingFamily(v1).batches(["a"], options, v1)[0]?.body).toEqual({ inputText: "a" });
    expect(embeddingFamily(v2).batches(["a"], options, v2)[0]?.body).toEqual({ inputText: "a", normalize: true });
    expect(embeddingFamily(v2).read({ embedding: [0.5], inputTextTokenCount: 3 })).toEqual({
      vectors: [[0.5]],
      tokens: 3,
    });
  });

  it("checks dimensions and texts against the model's own limits", () => {
    const titan = support("amazon.titan-embed-text-v2:0");
    expect(checkDimensions("titan", titan, 512)).toBe(512);
    expect(checkDimensions("titan", titan, null)).toBeUndefined();
    expect(() => checkDimensions("titan", titan, 1536)).toThrow(ValidationError);
    expect(checkTexts("titan", titan, "one")).toEqual(["one"]);
    expect(() => checkTexts("titan", titan, "x".repeat(50_001))).toThrow(/50001 characters/);
    expect(() => checkTexts("titan", titan, [])).toThrow(/at least one text/);
  });

  it("base64 is little-endian float32", () => {
    const bytes = Buffer.from(toBase64([1, -0.5]), "base64");
    expect([...bytes]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xbf]);
  });
});
