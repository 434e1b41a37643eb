import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LLM_KEYS, loadConfig, redact, SERVER_KEYS } from "../../src/config/index.js";
import { resolveModel } from "../../src/models/index.js";

const PATH = "examples/bedrock_config.toml";

describe("examples/bedrock_config.toml", async () => {
  // An empty environment: the example must stand on its own.
  const config = await loadConfig(PATH, { env: {} });
  const text = readFileSync(PATH, "utf8");

  it("loads every section", () => {
    expect(Object.keys(config.llms).sort()).toEqual(
      [
        "adaptive",
        "apikey",
        "appprofile",
        "backup",
        "crossregion",
        "default",
        "east",
        "guarded",
        "keys",
        "oidc",
        "pool",
        "reasoning",
        "role",
        "session",
        "sso",
        "west",
      ].sort(),
    );
    expect(config.path?.endsWith(PATH)).toBe(true);
  });

  it("documents every key, set or commented", () => {
    for (const key of [...Object.keys(LLM_KEYS), ...Object.keys(SERVER_KEYS)]) {
      expect(text).toMatch(new RegExp(`^#?\\s*${key} =|\\b${key}\\b`, "m"));
    }
  });

  it("has one section per authentication method", () => {
    expect(config.llms.keys).toMatchObject({ aws_access_key_id: "AKIAIOSFODNN7EXAMPLE" });
    expect(config.llms.session?.aws_session_token).toBeDefined();
    expect(config.llms.sso?.aws_profile_name).toBe("bedrock-sso");
    expect(config.llms.role).toMatchObject({
      aws_role_name: expect.stringContaining(":role/"),
      aws_session_name: "bedrock-llm",
    });
    expect(config.llms.oidc?.aws_web_identity_token).toBeDefined();
    expect(config.llms.apikey?.aws_bearer_token).toBeDefined();
    expect(config.llms.default?.aws_access_key_id).toBeUndefined();
    expect(config.llms.default?.aws_profile_name).toBeUndefined();
  });

  it("resolves every section's model", () => {
    const now = new Date("2026-11-25T00:00:00Z");
    for (const section of [config.llm, ...Object.values(config.llms)]) {
      expect(() => resolveModel(section, { now })).not.toThrow();
    }
    expect(resolveModel(config.llms.crossregion as never).sentId).toBe("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
  });

  it("prints without secrets", () => {
    const printed = JSON.stringify(redact(config));
    for (const secret of [
      "wJalrXUtnFEMI/K7MDENG",
      "IQoJb3JpZ2luX2VjEXAMPLE",
      "bedrock-api-key-EXAMPLE",
      "sk-local-EXAMPLEKEY",
    ]) {
      expect(printed).not.toContain(secret);
    }
  });
});
