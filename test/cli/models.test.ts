// `bedrock-llm models`: lifecycle as of today, the price unit, filters, and a table that fits the terminal.
import { describe, expect, it } from "vitest";
import { CAPABILITIES, filterModels } from "../../src/cli/model-filter.js";
import { modelTable } from "../../src/cli/model-table.js";
import { listModels, lookupModel } from "../../src/models/index.js";
import { runCli } from "./run-cli.js";

type Row = { id: string; name: string; provider: string; lifecycle: string; tools: boolean; promptCaching: unknown };
const json = async (...args: string[]) => {
  const r = await runCli(["models", "--json", ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Row[];
};

describe("bedrock-llm models", () => {
  it("calls a model past its end-of-life date 'end of life', in the table and in --json", async () => {
    // Claude 3 Sonnet: recorded as legacy, end of life 2025-07-21; Claude Sonnet 4.5 is current.
    const table = await runCli(["models", "claude-3-sonnet"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^anthropic\.claude-3-sonnet-20240229-v1:0 .* end of life /m);
    expect(table.stdout).not.toMatch(/legacy/);
    const rows = await json("sonnet");
    expect(rows.find((m) => m.id === "anthropic.claude-3-sonnet-20240229-v1:0")?.lifecycle).toBe("end_of_life");
    expect(rows.find((m) => m.id === "anthropic.claude-sonnet-4-5-20250929-v1:0")?.lifecycle).toBe("active");
    // The text filter: id or name.
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every((m) => `${m.id} ${m.name}`.toLowerCase().includes("sonnet"))).toBe(true);
  });

  it("prints every column when stdout is not a terminal, naming the unit of the prices", async () => {
    const r = await runCli(["models"]);
    const header = r.stdout.split("\n")[0] ?? "";
    expect(header).toMatch(/^ID\s+NAME\s+CONTEXT\s+TOOLS\s+CACHE\s+THINKING\s+PROFILES\s+STATUS/);
    expect(header).toMatch(/IN \$\/1M\s+OUT \$\/1M\s+CACHE-R \$\/1M\s+CACHE-W \$\/1M$/);
    expect(r.stdout).not.toContain("not shown");
  });

  it("filters by provider and capabilities, comma-separated or repeated", async () => {
    const cached = await json("--provider", "amazon", "--capability", "tools,caching");
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.every((m) => m.provider === "amazon" && m.tools && m.promptCaching !== null)).toBe(true);
    expect(cached.some((m) => m.id.startsWith("amazon.titan"))).toBe(false); // Titan has neither
    const repeated = await json("--capability", "tools", "--capability", "caching", "--provider", "amazon");
    expect(repeated).toEqual(cached);
  });

  it("refuses an unknown provider or capability with the closest one (exit 2); no match is not an error", async () => {
    const provider = await runCli(["models", "--provider", "amazn"]);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain('unknown provider "amazn": did you mean amazon?');
    const capability = await runCli(["models", "--capability", "tool"]);
    expect(capability.code).toBe(2);
    expect(capability.stderr).toContain('unknown capability "tool": did you mean tools?');
    const none = await runCli(["models", "no-such-model"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("no model matches");
  });
});

describe("filterModels", () => {
  const models = listModels();

  it("matches the text in the id or the name, ignoring case", () => {
    expect(filterModels(models, { text: "Sonnet 4.5" }).map((m) => m.id)).toEqual([
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
    ]);
    expect(filterModels(models, { text: "NOVA-PRO" }).map((m) => m.id)).toEqual(["amazon.nova-pro-v1:0"]);
  });

  it("combines provider and capabilities", () => {
    const meta = filterModels(models, { provider: "Meta" });
    expect(meta.length).toBeGreaterThan(0);
    expect(meta.every((m) => m.provider === "meta")).toBe(true);
    const thinking = filterModels(models, { capabilities: ["thinking", "structured-output"] });
    expect(thinking.length).toBeGreaterThan(0);
    expect(thinking.every((m) => m.thinking !== "none" && m.structuredOutput)).toBe(true);
    expect(filterModels(models, { provider: "amazon", capabilities: ["thinking"] })).toEqual(
      models.filter((m) => m.provider === "amazon" && m.thinking !== "none"),
    );
  });

  it("keeps the embedding models with --capability embedding", () => {
    const ids = filterModels(models, { capabilities: ["embedding"] }).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["amazon.titan-embed-text-v2:0", "cohere.embed-v4:0"]));
    expect(ids.every((id) => lookupModel(id)?.kind === "embedding")).toBe(true);
  });

  it("accepts every capability it advertises", () => {
    for (const name of Object.keys(CAPABILITIES))
      expect(() => filterModels(models, { capabilities: [name] })).not.toThrow();
  });
});

describe("modelTable", () => {
  const models = listModels();

  it.each([60, 80, 100, 120])("fits %i columns, keeping the id and saying what it left out", (width) => {
    const text = modelTable(models, { width });
    const lines = text.trimEnd().split("\n");
    const footer = lines.at(-1) ?? "";
    expect(footer).toMatch(/^\(not shown, for the terminal's width: .+; see --wide\)$/);
    for (const line of lines.slice(0, -1)) expect(line.length).toBeLessThanOrEqual(width);
    expect(lines[0]).toMatch(/^ID\s+/);
    for (const model of models) expect(text).toContain(model.id);
  });

  it("keeps the most useful columns first: status and prices before profiles", () => {
    const header = modelTable(models, { width: 100 }).split("\n")[0] ?? "";
    expect(header).toContain("STATUS");
    expect(header).toContain("IN $/1M");
    expect(header).not.toContain("PROFILES");
  });

  it("leaves nothing out when the terminal is wide enough", () => {
    const text = modelTable(models, { width: 400 });
    expect(text).not.toContain("not shown");
    expect(text.split("\n")[0]).toContain("PROFILES");
  });

  it("never cuts an id, even on a terminal narrower than the ids", () => {
    const text = modelTable(models, { width: 20 });
    for (const model of models) expect(text).toContain(model.id);
  });
});
