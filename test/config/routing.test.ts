/** The routing keys: fallbacks and deployments name sections of the file, never go round in circles, never inherited. */
import { describe, expect, it } from "vitest";
import { sectionsOf } from "../../src/config/index.js";
import { BASE, configError, lineOf, load, NO_ENV } from "./support.js";

const SECTIONS = `
[llm.east]
aws_region_name = "us-east-1"

[llm.west]
aws_region_name = "us-west-2"
weight = 3
`;

describe("fallbacks and deployments", () => {
  it("are kept as written and not inherited by [llm.NAME]", () => {
    const text = `${BASE}fallbacks = ["west"]\ndeployments = ["east", "west"]\nweight = 2\nrouting_strategy = "weighted"\n${SECTIONS}`;
    const config = load(text);
    expect(config.llm.fallbacks).toEqual(["west"]);
    expect(config.llm.deployments).toEqual(["east", "west"]);
    expect(config.llm.weight).toBe(2);
    // [llm.west] would otherwise fall back to itself.
    expect(config.llms.west?.fallbacks).toBeUndefined();
    expect(config.llms.east?.deployments).toBeUndefined();
    expect(config.llms.east?.weight).toBeUndefined();
    expect(config.llms.west?.weight).toBe(3);
    // Settings of the routing (not of one section) are inherited like any other key.
    expect(config.llms.east?.routing_strategy).toBe("weighted");
  });

  it("let every section find the file's other sections, without showing them when serialised", () => {
    const config = load(`${BASE}fallbacks = ["east"]\n${SECTIONS}`);
    const table = sectionsOf(config.llm);
    expect(table?.east).toBe(config.llms.east);
    expect(table?.llm).toBe(config.llm);
    expect(sectionsOf(config.llms.west as never)).toBe(table);
    expect(JSON.stringify(config.llm)).not.toContain("us-west-2");
    expect(sectionsOf({ ...config.llm })).toBeUndefined();
  });

  it("accept [llm] as a fallback of a named section, and a section among its own deployments", () => {
    const config = load(`${BASE}deployments = ["llm", "east"]\n${SECTIONS}\nfallbacks = ["llm"]\n`);
    expect(config.llm.deployments).toEqual(["llm", "east"]);
    expect(config.llms.west?.fallbacks).toEqual(["llm"]);
  });

  it("refuse a name that is not a section, with the line and the closest name", () => {
    const text = `${BASE}fallbacks = ["wset"]\n${SECTIONS}`;
    const error = configError(() => load(text));
    expect(error.message).toContain('[llm] fallbacks names "wset", which is not a section of this file');
    expect(error.message).toContain("did you mean west?");
    expect(error.line).toBe(lineOf(text, "fallbacks ="));
    expect(error.key).toBe("llm.fallbacks");
  });

  it("refuse an unknown deployment in a named section, pointing at that section's line", () => {
    const text = `${BASE}${SECTIONS}deployments = ["east", "north"]\n`;
    const error = configError(() => load(text));
    expect(error.message).toContain('[llm.west] deployments names "north"');
    expect(error.line).toBe(lineOf(text, "deployments ="));
    expect(error.key).toBe("llm.west.deployments");
  });

  it("refuse fallbacks that come back to where they started", () => {
    const selfish = configError(() => load(`${BASE}fallbacks = ["llm"]\n`));
    expect(selfish.message).toContain("llm -> llm");
    const text = `${BASE}fallbacks = ["east"]\n[llm.east]\nfallbacks = ["west"]\n[llm.west]\nfallbacks = ["llm"]\n`;
    const error = configError(() => load(text));
    expect(error.message).toContain("come back to where they started (llm -> east -> west -> llm)");
    expect(error.line).toBe(lineOf(text, "fallbacks ="));
  });

  it("refuse repeated names, empty lists and the wrong types", () => {
    expect(configError(() => load(`${BASE}deployments = ["east", "east"]\n${SECTIONS}`)).message).toContain(
      "llm.deployments is not allowed: must be a list of distinct section names",
    );
    expect(configError(() => load(`${BASE}fallbacks = []\n`)).message).toContain("llm.fallbacks is not allowed");
    expect(configError(() => load(`${BASE}fallbacks = "east"\n${SECTIONS}`)).message).toContain(
      'llm.fallbacks = "east" has the wrong type (a string)',
    );
  });

  it("take LLM_FALLBACKS as a comma-separated list for [llm]", () => {
    const config = load(`${BASE}${SECTIONS}`, { ...NO_ENV, LLM_FALLBACKS: "east, west" });
    expect(config.llm.fallbacks).toEqual(["east", "west"]);
    expect(config.llms.east?.fallbacks).toBeUndefined();
    const error = configError(() => load(BASE, { ...NO_ENV, LLM_FALLBACKS: "nowhere" }));
    expect(error.message).toContain("environment variable LLM_FALLBACKS");
    expect(error.message).toContain('names "nowhere"');
  });

  it("refuse a first cooldown longer than the longest", () => {
    const text = `${BASE}cooldown_seconds = 30\ncooldown_max_seconds = 10\n`;
    const error = configError(() => load(text));
    expect(error.message).toContain("cooldown_seconds = 30 is above cooldown_max_seconds = 10");
    expect(error.line).toBe(lineOf(text, "cooldown_seconds ="));
  });
});
