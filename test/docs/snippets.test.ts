// Every TypeScript snippet of the README and docs/*.md type-checks under `strict`, as a user would paste it.
// Each ```ts block is compiled as its own module (so each must stand alone: imports and setup included), with
// "bedrock-llm" resolved to this project's src/, by the project's TypeScript compiler. A canary block with a known
// error goes through the same run, so a broken pipeline cannot pass silently.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((name) => `docs/${name}`)].filter((path) =>
  path.endsWith(".md"),
);

interface Snippet {
  doc: string;
  /** 1-based line of the block's first code line in the doc. */
  line: number;
  code: string;
  file: string;
}

/** The ```ts (or ```typescript) blocks of a Markdown text, with the line each starts on. */
function extractSnippets(doc: string, text: string): Omit<Snippet, "file">[] {
  const snippets: Omit<Snippet, "file">[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? "")) end++;
    const code = lines
      .slice(start, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join("\n");
    snippets.push({ doc, line: start + 1, code });
    i = end;
  }
  return snippets;
}

const CANARY = { doc: "canary", line: 1, code: 'const wrong: number = "not a number";\nexport {};\n' };

const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ["node"],
  paths: {
    "bedrock-llm": [join(ROOT, "src/index.ts")],
    "bedrock-llm/emulator": [join(ROOT, "src/emulator/index.ts")],
  },
};

let dir: string;
let snippets: Snippet[];
/** Compiler diagnostics by snippet file name. */
const errors = new Map<string, string[]>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bedrock-llm-snippets-"));
  mkdirSync(join(dir, "snippets"));
  // Packages the snippets import (openai, @types/node) resolve from the project's node_modules.
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const found = [...DOCS.flatMap((doc) => extractSnippets(doc, readFileSync(join(ROOT, doc), "utf8"))), CANARY];
  snippets = found.map((snippet, index) => ({
    ...snippet,
    file: `snippets/${index}-${basename(snippet.doc, ".md")}-${snippet.line}.ts`,
  }));
  for (const snippet of snippets) writeFileSync(join(dir, snippet.file), snippet.code);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ["snippets"] }, null, 2),
  );
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  const output = await promisify(execFile)(process.execPath, [tsc, "-p", dir, "--pretty", "false"], {
    cwd: dir,
  }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  // "snippets/3-LLM-40.ts(5,7): error TS2322: ..." (paths of src/ files too, should the library itself fail)
  for (const line of output.split("\n").filter((l) => /error TS\d+/.test(l))) {
    const file = /^(snippets\/[^(]+)\(/.exec(line)?.[1] ?? "(outside the snippets)";
    errors.set(file, [...(errors.get(file) ?? []), line]);
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("TypeScript snippets in the docs", () => {
  it("the check works: the canary's error is reported", () => {
    const canary = snippets.find((s) => s.doc === "canary");
    expect(errors.get(canary?.file ?? "")?.join("\n")).toMatch(/TS2322/);
  });

  it("there are snippets to check in the README and the docs", () => {
    expect(snippets.filter((s) => s.doc === "README.md").length).toBeGreaterThan(0);
    expect(snippets.filter((s) => s.doc === "docs/LLM.md").length).toBeGreaterThan(3);
  });

  it("nothing outside the snippets fails (the library's own types)", () => {
    expect(errors.get("(outside the snippets)") ?? []).toEqual([]);
  });

  it.each(DOCS)("%s: every ```ts block type-checks under strict", (doc) => {
    const failures = snippets
      .filter((s) => s.doc === doc)
      .flatMap((s) =>
        (errors.get(s.file) ?? []).map((e) => {
          // Point at the doc's line: the block's first line + the error's line within the block - 1.
          const at = /\((\d+),(\d+)\)/.exec(e);
          const where = at ? `${doc}:${s.line + Number(at[1]) - 1}:${at[2]}` : doc;
          return `${where} ${e.slice(e.indexOf("error TS"))}`;
        }),
      );
    expect(failures).toEqual([]);
  });
});
