// Profiles the gateway under load: emulator and gateway in their own processes (the gateway profiling itself),
// autocannon at 10 connections on one door for PROFILE_SECONDS, then the gateway's CPU per request (from its own
// process CPU time) and its profile's top frames by self time, and its time by part (SDK, Node, gateway...).
// Not a benchmark (no docs section): `node bench/profile-gateway.mjs [json|sse|messages|responses|streams]`, after
// `npx tsc -p tsconfig.build.json`. BEDROCK_LLM_SDK_PATH passes through to the gateway.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { startEmulatorProcess } from "./support/emulator-process.mjs";
import { keyedServer } from "./support/keyed-server.mjs";
import { paced } from "./support/measure.mjs";
import { startRedis } from "./support/redis-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => pathToFileURL(join(root, "dist", p)).href;
const kind = process.argv[2] ?? "json";
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8);
const API_KEY = "sk-profile";
const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

// PROFILE_STORE=redis|sqlite: a virtual key with rpm, tpm and a budget plus section limits (never reached) over that
// store, as the store bench's keyed gateways; without it, a plain api_keys key.
const STORE = process.env.PROFILE_STORE;
const keyed = (store) => keyedServer(API_KEY, store);

const gatewayCode = (emulatorUrl, server) => `
  const { configFromObject } = await import(${JSON.stringify(dist("config/index.js"))});
  const { startGateway } = await import(${JSON.stringify(dist("gateway/index.js"))});
  const config = configFromObject({
    llm: { model: "bedrock/${MODEL_ID}", aws_region_name: "us-east-1", aws_access_key_id: "AKIAIOSFODNN7EXAMPLE",
      aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", aws_bedrock_runtime_endpoint: "${emulatorUrl}",
      num_retries: 0 },
    server: { max_concurrency: 512, max_queue: 512, ...${JSON.stringify(server)} },
  }, { env: {} });
  const g = await startGateway(config, { host: "127.0.0.1", port: 0 });
  console.log(g.url);
  // SIGUSR2 starts the profiler (start-up and warm-up stay out of it), the next one stops it and writes it out.
  const { Session } = await import("node:inspector");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  const post = (m, p) => new Promise((ok, no) => session.post(m, p, (e, r) => (e ? no(e) : ok(r))));
  let profiling = false;
  process.on("SIGUSR2", async () => {
    const u = process.cpuUsage();
    if (!profiling) {
      profiling = true;
      await post("Profiler.enable");
      await post("Profiler.setSamplingInterval", { interval: 500 });
      await post("Profiler.start");
    } else {
      const { profile } = await post("Profiler.stop");
      writeFileSync(process.env.PROFILE_FILE, JSON.stringify(profile));
    }
    console.log(String(u.user + u.system));
  });
  process.once("SIGTERM", () => g.close().then(() => process.exit(0)));`;

const bodies = {
  json: ["/v1/chat/completions", { model: "default", messages: [{ role: "user", content: "hello" }], max_tokens: 64 }],
  sse: [
    "/v1/chat/completions",
    {
      model: "default",
      messages: [{ role: "user", content: "hello" }],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    },
  ],
  messages: ["/v1/messages", { model: "default", max_tokens: 64, messages: [{ role: "user", content: "hello" }] }],
  responses: ["/v1/responses", { model: "default", input: "hello", max_output_tokens: 64, store: false }],
};

function load(url, seconds) {
  const [path, body] = bodies[kind];
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}${path}`,
        method: "POST",
        connections: 10,
        duration: seconds,
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const emulator = await startEmulatorProcess();
const scratch = mkdtempSync(join(tmpdir(), "gw-prof-"));
const profFile = join(scratch, `${kind}.cpuprofile`);
const redis = STORE === "redis" ? await startRedis() : undefined;
const server =
  STORE === "redis"
    ? keyed({ url: redis.url })
    : STORE === "sqlite"
      ? keyed({ path: join(scratch, "gateway.sqlite") })
      : { api_keys: [API_KEY] };
const proc = spawn(
  process.execPath,
  ["--input-type=module", "-e", gatewayCode(emulator.url, server)],
  // The access log goes to stderr as by default, discarded as in the gateway bench.
  { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, PROFILE_FILE: profFile } },
);
const lines = createInterface({ input: proc.stdout });
const nextLine = () => new Promise((resolve) => lines.once("line", resolve));
const gatewayUrl = (await nextLine()).trim();
const cpu = async () => {
  const line = nextLine();
  proc.kill("SIGUSR2");
  return Number(await line);
};

// PROFILE_RATE=N: requests paced at N a second (as the store and gateway benches send them) instead of autocannon.
const RATE = Number(process.env.PROFILE_RATE ?? 0);
// streams: PROFILE_STREAMS streams at once (default 300), each paced by the emulator at 50 events a second for the
// whole run, as the agent-scale bench; counts events instead of requests (CPU per 1,000 events).
const STREAMS = Number(process.env.PROFILE_STREAMS ?? 300);
async function streams(seconds) {
  await fetch(`${emulator.url}/_emulator/pace`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ eventsPerSecond: 50, events: 50 * seconds }),
  });
  const one = async () => {
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ ...bodies.sse[1], max_tokens: 4096 }),
    });
    let events = 0;
    const decoder = new TextDecoder();
    for await (const chunk of res.body) events += decoder.decode(chunk, { stream: true }).split("data: ").length - 1;
    return events;
  };
  const counts = await Promise.all(Array.from({ length: STREAMS }, one));
  return counts.reduce((a, b) => a + b, 0);
}
const run = async (seconds) => {
  if (kind === "streams") return streams(seconds);
  if (!RATE) return (await load(gatewayUrl, seconds)).requests.total;
  const [path, body] = bodies[kind];
  const target = {
    url: `${gatewayUrl}${path}`,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  const result = await paced(target, RATE, seconds);
  return Math.round(result.rps * seconds);
};
await run(2); // warm-up
const before = await cpu();
const requests = await run(SECONDS);
const after = await cpu();
const exited = new Promise((resolve) => proc.once("exit", resolve));
proc.kill("SIGTERM");
await exited;
emulator.stop();
redis?.stop();

const profile = JSON.parse(readFileSync(profFile, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const hits = new Map();
for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
let total = 0;
let idle = 0;
const self = new Map();
const inclusive = new Map();
const parts = new Map();
// Node's own frames counted to the nearest package or library frame above them (who made Node do the work).
const attributed = new Map();
const isOwnCode = (cf) => cf.url.includes("/node_modules/") || cf.url.includes("/dist/");
const partOf = (cf) => {
  const u = cf.url;
  if (cf.functionName === "(garbage collector)") return "GC";
  if (cf.functionName === "(program)") return "(program)";
  if (u.includes("/@aws-sdk/") || u.includes("/@smithy/")) return "AWS SDK (@aws-sdk, @smithy)";
  if (u.includes("/hono/") || u.includes("/@hono/")) return "Hono + @hono/node-server";
  if (u.includes("/zod/")) return "zod";
  if (u.includes("/prom-client/")) return "prom-client";
  if (u.includes("/node_modules/")) return `other deps`;
  if (u.includes("/dist/gateway/")) return "gateway (dist/gateway)";
  if (u.includes("/dist/")) return `library (${u.split("/dist/")[1].split("/")[0]})`;
  if (u.startsWith("node:http2") || u.includes("internal/http2")) return "Node HTTP/2 client";
  if (u.startsWith("node:") || u === "") return `Node (${cf.functionName === "" ? "anon" : "runtime"})`;
  return "other";
};
for (const [id, count] of hits) {
  const n = byId.get(id);
  const cf = n.callFrame;
  if (cf.functionName === "(idle)") {
    idle += count;
    continue;
  }
  total += count;
  const key = `${cf.functionName || "(anon)"} ${cf.url.replace(/.*node_modules\//, "").replace(/.*\/dist\//, "dist/")}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + count);
  const part = partOf(cf);
  parts.set(part, (parts.get(part) ?? 0) + count);
  let owner = part;
  if (!isOwnCode(cf) && part !== "GC" && part !== "(program)") {
    owner = "Node, not called from JS code (sockets, HTTP parsing, timers)";
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const f = byId.get(at).callFrame;
      if (isOwnCode(f)) {
        owner = partOf(f);
        break;
      }
    }
  }
  attributed.set(owner, (attributed.get(owner) ?? 0) + count);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const f = byId.get(at).callFrame;
    const k = `${f.functionName || "(anon)"} ${f.url.replace(/.*node_modules\//, "").replace(/.*\/dist\//, "dist/")}:${f.lineNumber + 1}`;
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + count);
  }
}
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
console.log(
  kind === "streams"
    ? `streams: ${requests} events on ${STREAMS} streams in ${SECONDS} s, gateway CPU per 1,000 events ` +
        `${((after - before) / requests).toFixed(2)} ms; busy samples ${total}, idle ${idle}`
    : `${kind}: ${requests} requests in ${SECONDS} s (${(requests / SECONDS).toFixed(0)} req/s), gateway CPU per request ` +
        `${((after - before) / 1000 / requests).toFixed(3)} ms; busy samples ${total}, idle ${idle}`,
);
console.log("\nby part (self time, share of busy samples):");
for (const [k, v] of top(parts, 30)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log("\nby part, Node's frames counted to their nearest package or library caller:");
for (const [k, v] of top(attributed, 30)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log("\ntop self time:");
for (const [k, v] of top(self, Number(process.env.PROFILE_TOP ?? 40))) console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log("\ntop inclusive time:");
for (const [k, v] of top(inclusive, Number(process.env.PROFILE_TOP ?? 60)))
  console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log(`\nprofile: ${profFile}`);
