/**
 * The client's model registry (src/models, the client's truth, read through listModels / lookupModel) and the
 * emulator's own table (src/emulator/runtime/models.ts, separate code on purpose) describe the same models: a row
 * added or changed on one side only fails here, instead of letting the emulator accept what Bedrock refuses or
 * refuse what the client sends.
 */
import { describe, expect, it } from "vitest";
import {
  EMBEDDING_MODELS,
  MODELS as EMULATOR_CHAT_MODELS,
  findModel,
  type ModelSpec,
} from "../../src/emulator/runtime/index.js";
import { listModels, lookupModel, type ModelInfo } from "../../src/models/index.js";

const registry = listModels();
/** The emulator's chat models and its embedding models (a table of their own there, rows like any other here). */
const EMULATOR_MODELS = [...EMULATOR_CHAT_MODELS, ...EMBEDDING_MODELS];

/** What a call depends on: plain id or profile, how many tokens may come back, which profiles exist. */
function invocation(model: ModelInfo | ModelSpec) {
  const profiles = "geographies" in model ? model.geographies : model.profiles;
  return { onDemand: model.onDemand, maxOutputTokens: model.maxOutputTokens, profiles: [...profiles].sort() };
}

/** The capabilities the emulator enforces, in its own terms. */
function enforced(model: ModelInfo | ModelSpec) {
  if ("geographies" in model) {
    const caching = model.promptCaching;
    return {
      tools: model.tools,
      system: model.systemPrompt,
      images: model.images,
      documents: model.documents,
      cacheMinTokens: caching?.minTokensPerCachePoint ?? 0,
      oneHourCache: caching?.ttls.includes("1h") ?? false,
      cacheInTools: caching?.fields.includes("tools") ?? false,
      thinking: model.thinking,
      effort: model.effort,
      structuredOutput: model.structuredOutput,
    };
  }
  return {
    tools: model.tools,
    system: model.system,
    images: model.images,
    documents: model.documents,
    cacheMinTokens: model.cacheMinTokens,
    oneHourCache: model.oneHourCache,
    cacheInTools: model.cacheMinTokens > 0 && model.cacheInTools,
    thinking: model.thinking,
    effort: model.effort,
    structuredOutput: model.structuredOutput,
  };
}

describe("the emulator's model table and the client's registry", () => {
  it("hold the same model ids", () => {
    const ids = (models: readonly { id: string }[]) => models.map((model) => model.id).sort();
    expect(ids(EMULATOR_MODELS)).toEqual(ids(registry));
  });

  it.each(registry.map((model) => [model.id]))("%s: same on-demand flag, output limit and inference profiles", (id) => {
    const served = findModel(id);
    expect(served, `the emulator serves ${id}`).toBeDefined();
    expect(invocation(served as ModelSpec)).toEqual(invocation(lookupModel(id) as ModelInfo));
  });

  it.each(EMULATOR_MODELS.flatMap((model) => model.profiles.map((geography) => [`${geography}.${model.id}`])))(
    "the client resolves the emulator's profile %s to the same model",
    (profileId) => {
      expect(lookupModel(profileId)?.id).toBe(profileId.slice(profileId.indexOf(".") + 1));
    },
  );

  it.each(registry.map((model) => [model.id]))("%s: same tools, media, caching and reasoning rules", (id) => {
    expect(enforced(findModel(id) as ModelSpec)).toEqual(enforced(lookupModel(id) as ModelInfo));
  });

  it.each(registry.filter((model) => model.kind === "embedding").map((model) => [model.id]))(
    "%s: same dimensions and input limits",
    (id) => {
      const served = (findModel(id) as ModelSpec).embedding;
      const known = (lookupModel(id) as ModelInfo).embedding;
      expect(served, `the emulator embeds with ${id}`).toBeDefined();
      expect({
        dimensions: known?.dimensions,
        defaultDimension: known?.defaultDimension,
        maxInputTokens: known?.maxInputTokens,
        maxTextChars: known?.maxInputChars ?? Number.POSITIVE_INFINITY,
        maxTexts: known?.maxTexts,
      }).toEqual({
        dimensions: served?.dimensions,
        defaultDimension: served?.defaultDimension,
        maxInputTokens: served?.maxInputTokens,
        maxTextChars: served?.maxTextChars,
        maxTexts: served?.maxTexts,
      });
    },
  );
});
