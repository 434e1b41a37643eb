import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { listModels, lookupModel } from "../../src/models/index.js";

const GEOGRAPHIES = ["us", "eu", "apac", "us-gov", "global", "jp", "au"];

describe("model registry", () => {
  const models = listModels();

  it("has one row per id", () => {
    const ids = models.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(models.map((m) => [m.id, m] as const))("%s has coherent facts", (_id, model) => {
    expect(model.name.length).toBeGreaterThan(0);
    expect(model.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(model.contextWindow).toBeGreaterThan(0);
    if (model.kind === "embedding") {
      // An embedding model generates nothing; its limits are the embedding columns.
      const embedding = model.embedding;
      expect(embedding).toBeDefined();
      expect(embedding?.dimensions).toContain(embedding?.defaultDimension);
      expect(embedding?.maxTexts).toBeGreaterThan(0);
      expect(model.contextWindow).toBe(embedding?.maxInputTokens);
      expect(model.maxOutputTokens).toBe(0);
      expect(model.pricing?.input).toBeGreaterThan(0);
    } else {
      expect(model.embedding).toBeUndefined();
      expect(model.maxOutputTokens).toBeGreaterThan(0);
    }
    expect(model.maxOutputTokens).toBeLessThanOrEqual(model.contextWindow);
    for (const geography of model.geographies) expect(GEOGRAPHIES).toContain(geography);
    if (!model.onDemand) expect(model.geographies.length).toBeGreaterThan(0);
    if (model.promptCaching) {
      expect(model.promptCaching.minTokensPerCachePoint).toBeGreaterThan(0);
      expect(model.promptCaching.maxCachePoints).toBe(4);
    }
    if (model.pricing) {
      for (const price of Object.values(model.pricing)) expect(price).toBeGreaterThanOrEqual(0);
    }
    if (model.thinking === "adaptive_only") expect(model.effort).toBe(true);
    if (model.endOfLifeDate) expect(Number.isNaN(Date.parse(model.endOfLifeDate))).toBe(false);
    if (model.streamingToolUse) expect(model.tools).toBe(true);
  });

  it.each([
    ["anthropic.claude-3-sonnet-20240229-v1:0", "Claude 3 Sonnet"],
    ["anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku"],
    ["anthropic.claude-3-opus-20240229-v1:0", "Claude 3 Opus"],
    ["anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku"],
    ["anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet"],
    ["anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet v2"],
    ["anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet"],
    ["anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4"],
    ["anthropic.claude-opus-4-20250514-v1:0", "Claude Opus 4"],
    ["anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1"],
    ["anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5"],
    ["anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5"],
    ["anthropic.claude-opus-4-5-20251101-v1:0", "Claude Opus 4.5"],
    ["anthropic.claude-sonnet-4-6", "Claude Sonnet 4.6"],
    ["anthropic.claude-opus-4-6-v1", "Claude Opus 4.6"],
    ["anthropic.claude-opus-4-7", "Claude Opus 4.7"],
    ["anthropic.claude-opus-5", "Claude Opus 5"],
    ["anthropic.claude-sonnet-5", "Claude Sonnet 5"],
    ["anthropic.claude-fable-5", "Claude Fable 5"],
    ["anthropic.claude-mythos-5", "Claude Mythos 5"],
    ["amazon.titan-text-express-v1", "Titan Text G1 - Express"],
    ["amazon.titan-text-lite-v1", "Titan Text G1 - Lite"],
    ["amazon.titan-text-premier-v1:0", "Titan Text G1 - Premier"],
    ["amazon.nova-micro-v1:0", "Nova Micro"],
    ["amazon.nova-lite-v1:0", "Nova Lite"],
    ["amazon.nova-pro-v1:0", "Nova Pro"],
    ["meta.llama3-3-70b-instruct-v1:0", "Llama 3.3 70B Instruct"],
    ["mistral.mistral-large-2402-v1:0", "Mistral Large (24.02)"],
    ["amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2"],
    ["cohere.embed-english-v3", "Cohere Embed English v3"],
    ["cohere.embed-multilingual-v3", "Cohere Embed Multilingual v3"],
    ["cohere.embed-v4:0", "Cohere Embed v4"],
    ["amazon.nova-2-multimodal-embeddings-v1:0", "Nova Multimodal Embeddings"],
  ])("lists %s", (id, name) => {
    expect(lookupModel(id)?.name).toBe(name);
  });

  it("finds a row from a profile id, an ARN or a bedrock/ string", () => {
    const id = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    expect(lookupModel(`us.${id}`)?.id).toBe(id);
    expect(lookupModel(`bedrock/eu.${id}`)?.id).toBe(id);
    expect(lookupModel(`arn:aws:bedrock:us-east-1::foundation-model/${id}`)?.id).toBe(id);
    expect(lookupModel(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${id}`)?.id).toBe(id);
  });

  it("returns undefined for unknown ids and application profiles", () => {
    expect(lookupModel("anthropic.claude-9-opus")).toBeUndefined();
    expect(lookupModel("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x1")).toBeUndefined();
    expect(lookupModel("")).toBeUndefined();
  });

  it("records the thinking generations AWS documents", () => {
    expect(lookupModel("anthropic.claude-3-7-sonnet-20250219-v1:0")?.thinking).toBe("manual");
    expect(lookupModel("anthropic.claude-sonnet-4-6")?.thinking).toBe("adaptive");
    expect(lookupModel("anthropic.claude-opus-4-7")?.thinking).toBe("adaptive_only");
    expect(lookupModel("anthropic.claude-fable-5")?.thinking).toBe("adaptive_only");
    expect(lookupModel("amazon.titan-text-express-v1")?.thinking).toBe("none");
  });

  it("knows Titan Text takes no system prompt or tools and is not cached", () => {
    const titan = lookupModel("amazon.titan-text-lite-v1");
    expect(titan).toMatchObject({ systemPrompt: false, tools: false, promptCaching: null });
  });

  it("returns copies: callers cannot change the table", () => {
    const list = listModels();
    list.pop();
    expect(listModels().length).toBe(list.length + 1);
  });

  it("is listed in full in docs/MODELS.md", () => {
    const docs = readFileSync("docs/MODELS.md", "utf8");
    const listed = new Set([...docs.matchAll(/^\|[^|]+\|\s*`([^`]+)`\s*\|/gm)].map((match) => match[1]));
    for (const model of models) expect(listed).toContain(model.id);
  });
});
