// The configuration examples of the README and docs/*.md that name a model are valid files, and use models a
// reader can still call, with features those models have.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { lifecycleOn } from "../../src/cli/lifecycle.js";
import { parseConfig } from "../../src/config/index.js";
import type { LLMConfig } from "../../src/config/types.js";
import { resolveModel } from "../../src/models/index.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((name) => `docs/${name}`)].filter((path) =>
  path.endsWith(".md"),
);

interface Block {
  where: string;
  code: string;
}

function tomlBlocks(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```toml\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? "")) end++;
    const indent = open[1]?.length ?? 0;
    const code = lines
      .slice(i + 1, end)
      .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
      .join("\n");
    blocks.push({ where: `${doc}:${i + 2}`, code });
    i = end;
  }
  return blocks;
}

// Blocks that set a Bedrock model are bedrock-llm files; others show one setting, or another program's file.
const complete = DOCS.flatMap(tomlBlocks).filter((block) => /^\s*model\s*=\s*"bedrock\//m.test(block.code));

/** What is wrong with one section's model for a reader copying the example, or nothing. */
function problems(section: LLMConfig): string[] {
  const { info, known } = resolveModel(section);
  const found: string[] = [];
  if (!known) found.push(`${section.model} is not in the registry`);
  const lifecycle = lifecycleOn(info);
  if (lifecycle !== "active") found.push(`${section.model} is ${lifecycle}`);
  if (section.caching_prompt && !info.promptCaching) found.push(`${section.model} has no prompt caching`);
  if (section.reasoning_effort && info.thinking === "none") found.push(`${section.model} has no extended thinking`);
  return found;
}

describe("configuration examples in the docs", () => {
  it("include the README's", () => {
    expect(complete.some((block) => block.where.startsWith("README.md"))).toBe(true);
  });

  it.each(complete.map((block) => [block.where, block] as const))(
    "%s loads and uses current models with the features it turns on",
    (where, block) => {
      const config = parseConfig(block.code, where, { env: {} });
      const sections = [config.llm, ...Object.values(config.llms)];
      expect(sections.flatMap(problems)).toEqual([]);
    },
  );
});
