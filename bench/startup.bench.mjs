// CLI start-up benchmark: wall time of `bedrock-llm --version`, `--help` and `models` (each a fresh process, output
// discarded) against `node -e 0` measured in the same rounds, so the ratio holds on a busy machine. Each round runs
// every command once in a rotated order; the median of the per-round ratios is written to docs/BENCHMARKS.md.
// `chat --help` is a reference row: it loads the chat command's code (the AWS SDK among it), as every command
// did before the CLI loaded only the one that runs. Target: at most 2x `node -e 0`.
//   npm run bench -- startup      (builds first)      BENCH_ROUNDS=40 by default; BENCH_CLI=path/to/cli.js
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = resolve(process.env.BENCH_CLI ?? join(root, "dist", "cli", "index.js"));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = 3;
const TARGET = 2;

const baseline = { label: "`node -e 0`", args: ["-e", "0"] };
const cases = [
  { label: "`bedrock-llm --version`", args: [cli, "--version"], target: true },
  { label: "`bedrock-llm --help`", args: [cli, "--help"], target: true },
  { label: "`bedrock-llm models`", args: [cli, "models"], target: true },
  { label: "`bedrock-llm chat --help` (loads the AWS SDK; reference)", args: [cli, "chat", "--help"], target: false },
];
const all = [baseline, ...cases];

/** Milliseconds from spawn to exit; the process must succeed, or the figure would time an error. */
function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const loadBefore = loadavg()[0];
for (let i = 0; i < WARMUP; i++) for (const c of all) time(c.args);
const samples = new Map(all.map((c) => [c, []]));
const ratios = new Map(cases.map((c) => [c, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = all.map((_, i) => all[(i + round) % all.length]);
  const took = new Map(order.map((c) => [c, time(c.args)]));
  for (const [c, ms] of took) samples.get(c).push(ms);
  for (const c of cases) ratios.get(c).push(took.get(c) / took.get(baseline));
}

const base = median(samples.get(baseline));
const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${cpus().length} cores`;
const rows = cases.map((c) => {
  const ratio = median(ratios.get(c));
  const verdict = c.target ? (ratio <= TARGET ? "yes" : "**no**") : "-";
  return `| ${c.label} | ${median(samples.get(c)).toFixed(0)} ms | **${ratio.toFixed(2)}x** | ${verdict} |`;
});
const date = new Date().toISOString().slice(0, 10);
const block = [
  "<!-- startup:start -->",
  "## CLI start-up",
  "",
  "Wall time of a fresh `bedrock-llm` process (`node dist/cli/index.js ...`, output discarded) against `node -e 0`,",
  `${ROUNDS} rounds after ${WARMUP} warm-up rounds; each round runs every command once, in a rotated order, and the`,
  "ratio is the median of the per-round ratios. The CLI loads only the command that runs, so `--version`, `--help`",
  "and `models` never load the AWS SDK, the gateway or the emulator; `chat --help` loads the chat command and is",
  "shown for reference. Before the CLI loaded commands lazily, every command cost about that much (the same run on",
  "the CLI of commit 15fbfaf, 2026-11-28: `--version` 5.74x, `--help` 5.08x, `models` 4.99x). Target: at most 2x.",
  "",
  `| command | median | ratio to \`node -e 0\` (${base.toFixed(0)} ms) | within 2x |`,
  "| --- | --- | --- | --- |",
  ...rows,
  "",
  `Measured ${date}, Node ${process.version}, ${load}. Reproduce: \`npm run bench -- startup\``,
  "(`BENCH_ROUNDS=N` to change the number of rounds).",
  "<!-- startup:end -->",
].join("\n");
console.log(block);

if (!process.env.BENCH_CLI) {
  const file = join(root, "docs", "BENCHMARKS.md");
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("<!-- startup:start -->");
  const end = text.indexOf("<!-- startup:end -->");
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + "<!-- startup:end -->".length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
