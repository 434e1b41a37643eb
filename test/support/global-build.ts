/**
 * vitest globalSetup: the CLI and example tests run dist/, so rebuild it (tsc -p tsconfig.build.json) when a file
 * in src/ is newer than its output or has none. `npm test` builds first and this finds nothing to do; a lone
 * `npx vitest run test/cli` after an edit in src/ then never runs a stale dist.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");
const DIST = join(ROOT, "dist");

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** The first source file whose compiled output is missing or older than it, if any. */
export function staleSource(): string | undefined {
  for (const source of sourceFiles(SRC)) {
    const output = join(DIST, relative(SRC, source)).replace(/\.ts$/, ".js");
    const built = statSync(output, { throwIfNoEntry: false });
    if (!built || built.mtimeMs < statSync(source).mtimeMs) return relative(ROOT, source);
  }
  return undefined;
}

export default function setup(): void {
  const stale = staleSource();
  if (stale === undefined) return;
  console.log(`dist/ is older than ${stale}: building (tsc -p tsconfig.build.json)`);
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}
