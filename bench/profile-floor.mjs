// Where the bedrock-llm gateway's CPU per request goes beyond the floor's minimal gateway (bench/floor.bench.mjs):
// each run in its own process with Node's --cpu-prof, driven by autocannon at 10 connections (3000 requests to warm
// up, then 8 s measured) in front of one emulator; the CPU per request from /proc, split by the shares of the
// profile's busy samples (start-up and warm-up included) into parts, Node's own frames counted to their nearest
// JavaScript caller. Not a benchmark (no docs
// section): `node bench/profile-floor.mjs [json|sse]`, after `npx tsc -p tsconfig.build.json`.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chatRequest, startBedrockLlm, urlOf } from "./support/chat-targets.mjs";
import { startEmulatorProcess } from "./support/emulator-process.mjs";
import { cpuMs, saturate } from "./support/measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const stream = process.argv[2] === "sse";

/** The part of the process a sample's frame belongs to: its package, or the nearest caller's for Node's frames. */
function partOf(byId, parent, id) {
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url } = byId.get(at).callFrame;
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(program)") return "V8 (program)";
    if (functionName === "(idle)") return "(idle)";
    if (url.includes("node_modules/")) {
      const [scope, name] = url.split("node_modules/").at(-1).split("/");
      const pkg = scope.startsWith("@") ? `${scope}/${name}` : scope;
      if (pkg.startsWith("@aws-sdk/") || pkg.startsWith("@smithy/")) return "AWS SDK (@aws-sdk, @smithy)";
      if (pkg === "hono" || pkg === "@hono/node-server") return "Hono + @hono/node-server";
      return pkg;
    }
    const dist = /\/dist\/([^/]+)\//.exec(url)?.[1];
    if (dist) return `bedrock-llm ${dist}/`;
    if (url.includes("floor-gateway")) return "the floor's own code";
  }
  return "Node, not called from JavaScript";
}

/** Starts a gateway with the profiler on, loads it, stops it; its CPU per request and the share of each part. */
async function profile(start) {
  const dir = mkdtempSync(join(tmpdir(), "bllm-profile-floor-"));
  const gateway = await start(["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=250"]);
  const target = chatRequest(gateway.url, stream);
  await saturate(target, { connections: 10, amount: 3000 });
  const before = cpuMs(gateway.pid);
  const run = await saturate(target, { connections: 10, seconds: 8 });
  const cpu = (cpuMs(gateway.pid) - before) / run.total;
  gateway.stop();
  // The profile is written as the process exits (its SIGTERM handler exits).
  while (readdirSync(dir).length === 0) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  const prof = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const counts = new Map();
  let busy = 0;
  for (const sample of prof.samples) {
    const part = partOf(byId, parent, sample);
    if (part === "(idle)") continue;
    busy++;
    counts.set(part, (counts.get(part) ?? 0) + 1);
  }
  console.log(`${stream ? "SSE" : "JSON"}: ${run.rps.toFixed(0)} req/s, CPU per request ${cpu.toFixed(3)} ms`);
  return { cpu, perPart: new Map([...counts].map(([part, n]) => [part, (n / busy) * cpu])) };
}

const emulator = await startEmulatorProcess();
try {
  const floor = await profile((flags) =>
    urlOf(
      spawn(process.execPath, [...flags, join(here, "support", "floor-gateway.mjs"), emulator.url, "minimal"], {
        stdio: ["ignore", "pipe", "ignore"],
      }),
      "the floor gateway",
    ),
  );
  const bedrockLlm = await profile((flags) => startBedrockLlm(emulator.url, undefined, flags));
  const parts = [...new Set([...floor.perPart.keys(), ...bedrockLlm.perPart.keys()])]
    .map((part) => [part, floor.perPart.get(part) ?? 0, bedrockLlm.perPart.get(part) ?? 0])
    .filter(([, f, b]) => f >= 0.001 || b >= 0.001)
    .sort((a, b) => b[2] - a[2] || b[1] - a[1]);
  console.log("\n| part | minimal gateway (ms per request) | bedrock-llm (ms per request) |\n| --- | --- | --- |");
  for (const [part, f, b] of parts) console.log(`| ${part} | ${f.toFixed(3)} | ${b.toFixed(3)} |`);
  console.log(`| **all** | **${floor.cpu.toFixed(3)}** | **${bedrockLlm.cpu.toFixed(3)}** |`);
} finally {
  emulator.stop();
}
