// Claude's ids on Anthropic's API in the registry, and the gateway's router resolving them and the configured aliases.
import { describe, expect, it } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";
import { ModelRouter } from "../../src/gateway/model-router.js";
import { listModels, lookupAnthropicModel } from "../../src/models/index.js";

describe("registry: Anthropic ids", () => {
  const claude = listModels().filter((model) => model.provider === "anthropic");

  it("gives every Claude row its Anthropic id, and no id to two rows", () => {
    for (const model of claude) expect(model.anthropicIds?.length, model.id).toBeGreaterThan(0);
    const ids = claude.flatMap((model) => model.anthropicIds ?? []);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("derives from the Bedrock id as Anthropic's table does: anthropic. and the version suffix dropped", () => {
    for (const model of claude) {
      const canonical = model.id.replace(/^anthropic\./, "").replace(/-v\d+(:\d+)?$/, "");
      expect(model.anthropicIds?.[0]).toBe(canonical);
    }
  });

  it.each([
    ["claude-sonnet-4-5-20250929", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["claude-sonnet-4-5", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["claude-haiku-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0"],
    ["claude-opus-4-8", "anthropic.claude-opus-4-8"],
    ["claude-opus-4-6", "anthropic.claude-opus-4-6-v1"],
    ["claude-opus-4-0", "anthropic.claude-opus-4-20250514-v1:0"],
    ["claude-3-7-sonnet-latest", "anthropic.claude-3-7-sonnet-20250219-v1:0"],
    ["Claude-Sonnet-4-6", "anthropic.claude-sonnet-4-6"],
  ])("%s -> %s", (name, id) => {
    expect(lookupAnthropicModel(name)?.id).toBe(id);
  });

  it("knows nothing else", () => {
    expect(lookupAnthropicModel("claude-sonnet-9")).toBeUndefined();
    expect(lookupAnthropicModel("anthropic.claude-sonnet-4-6")).toBeUndefined();
  });
});

function router(aliases: Record<string, string>): ModelRouter {
  const config = configFromObject(
    {
      llm: {
        model: "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
        cross_region_target: "us",
        aws_region_name: "us-east-1",
        haiku: { model: "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0" },
      },
      server: { model_aliases: aliases },
    },
    { env: {} },
  );
  return new ModelRouter(config, { onWarning: () => {} });
}

describe("the router: Anthropic ids and aliases", () => {
  it("serves an Anthropic id with [llm]'s settings, one instance per model whatever the spelling", () => {
    const r = router({});
    const byAlias = r.resolve("claude-opus-4-8");
    expect(byAlias?.config.model).toBe("bedrock/anthropic.claude-opus-4-8");
    expect(byAlias?.config.cross_region_target).toBe("us");
    expect(r.resolve("anthropic.claude-opus-4-8")).toBe(byAlias);
    expect(r.resolve("claude-sonnet-4-5")).toBe(r.resolve("default"));
    expect(r.resolve("claude-nonexistent")).toBeUndefined();
  });

  it("pins an alias to a section or a model id, and lists it", () => {
    const r = router({ "claude-haiku-4-5": "haiku", pinned: "bedrock/us.amazon.nova-pro-v1:0" });
    expect(r.resolve("claude-haiku-4-5")).toBe(r.resolve("haiku"));
    expect(r.resolve("pinned")?.config.model).toBe("bedrock/us.amazon.nova-pro-v1:0");
    expect(r.namedModels()).toEqual(["default", "haiku", "claude-haiku-4-5", "pinned"]);
    expect(r.listIds().map((m) => m.id)).toContain("pinned");
  });

  it("refuses at start-up an alias whose target cannot be sent, naming the key", () => {
    const error = (() => {
      try {
        router({ broken: "openai/gpt-4o" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("server.model_aliases.broken");
    expect((error as ConfigError).message).toContain('server.model_aliases.broken = "openai/gpt-4o"');
  });
});
