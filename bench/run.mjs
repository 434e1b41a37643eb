// Runs every benchmark in bench/ (files named *.bench.mjs), one after another, each in its own process; with an
// argument, those whose name contains it.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const OPT_IN = ["peers.bench.mjs"];
const files = readdirSync(here)
  // peers installs another gateway from npm and needs port 80: it runs only when asked for by name.
  .filter((f) => f.endsWith(".bench.mjs") && (only ? f.includes(only) : !OPT_IN.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(only ? `no benchmark matches "${only}"` : "no benchmarks in bench/");
  process.exit(1);
}
let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ["--expose-gc", join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
