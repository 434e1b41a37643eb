// Store benchmark: the latency that virtual keys, rpm / tpm limits and budget accounting add, with the embedded
// store (SQLite file) and with Redis on loopback, against the same gateway with none of them, in one run. One
// emulator, one redis-server (started here on a free port) and four gateways, each in its own process; requests
// paced evenly at 500, 250 and 100 req/s, the gateways measured in alternating rounds (the order rotates each round).
//   npm run bench -- store        (builds first; writes the results into docs/BENCHMARKS.md)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { keyedServer } from "./support/keyed-server.mjs";
import { cpuMs, fmt, median, paced, percentile, signed, writeSection } from "./support/measure.mjs";
import { startRedis } from "./support/redis-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path) => pathToFileURL(join(root, "dist", path)).href;
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const API_KEY = "sk-bench-0123456789";
const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
/** The target rate, then lighter ones for reference (a 2-core machine running every process may not keep up with the first). */
const RATES = (process.env.BENCH_RATES ?? "500,250,100").split(",").map(Number);
/**
 * How long the emulator takes to answer, ms: 0 (at once: nothing for the store's round trip to hide behind, which
 * no Bedrock call gives), then a model call as fast as Bedrock's fastest (BENCH_MODEL_MS, default 50; Bedrock's
 * take 0.3 s and more), at the first rate only.
 */
const MODEL_MS = Number(process.env.BENCH_MODEL_MS ?? 50);
const SCENARIOS = [
  ...RATES.map((rate) => ({ rate, modelMs: 0 })),
  ...(MODEL_MS > 0 ? [{ rate: RATES[0], modelMs: MODEL_MS }] : []),
];
const scenarioKey = ({ rate, modelMs }) => `${rate}:${modelMs}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function child(code) {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: proc.stdout });
  const ask = () =>
    new Promise((resolve) => {
      lines.once("line", resolve);
      proc.kill("SIGUSR2");
    });
  return new Promise((resolve, reject) => {
    proc.once("exit", (c) => reject(new Error(`child exited with ${c}`)));
    lines.once("line", (url) => resolve({ url: url.trim(), pid: proc.pid, ask, stop: () => proc.kill("SIGTERM") }));
  });
}

const emulatorCode = `
  const { startEmulator } = await import(${JSON.stringify(dist("emulator/index.js"))});
  const e = await startEmulator({ host: "127.0.0.1", port: 0 });
  console.log(e.url);`;

/** A gateway whose [server] is `server`; SIGUSR2 reports its own handler time (p50 / p99) since the last report. */
const gatewayCode = (emulatorUrl, server) => `
  const { configFromObject } = await import(${JSON.stringify(dist("config/index.js"))});
  const { startGateway } = await import(${JSON.stringify(dist("gateway/index.js"))});
  const { openGatewayStore } = await import(${JSON.stringify(dist("store/open-store.js"))});
  let handled = [];
  let admits = [];
  const accessLog = (entry) => {
    if (entry.path === "/v1/chat/completions" && entry.status === 200) handled.push(entry.latency_ms);
  };
  process.on("SIGUSR2", () => {
    const sorted = handled.sort((a, b) => a - b);
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
    const times = admits.sort((a, b) => a - b);
    const admit = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? null;
    console.log(JSON.stringify({ p50: at(0.5), p99: at(0.99), admit50: admit(0.5), admit99: admit(0.99) }));
    handled = [];
    admits = [];
  });
  const config = configFromObject({
    llm: { model: "bedrock/${MODEL_ID}", aws_region_name: "us-east-1", aws_access_key_id: "${ACCESS_KEY}",
      aws_secret_access_key: "${SECRET_KEY}", aws_bedrock_runtime_endpoint: "${emulatorUrl}", num_retries: 0 },
    server: { max_concurrency: 512, max_queue: 512, ...${JSON.stringify(server)} },
  }, { env: {} });
  // The store, with each admission (one SQLite transaction, or one Lua script on Redis) timed.
  const openStore = async () => {
    const store = await openGatewayStore(config.server.store, {});
    const admit = store.admit.bind(store);
    store.admit = async (checks, seen, settles) => {
      const started = performance.now();
      try {
        return await admit(checks, seen, settles);
      } finally {
        admits.push(performance.now() - started);
      }
    };
    return store;
  };
  const g = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog, openStore });
  console.log(g.url);
  process.once("SIGTERM", () => g.close().then(() => process.exit(0)));`;

/** Limits high enough never to refuse: every request is counted, checked and charged, none is turned away. */
const keyed = (store) => keyedServer(API_KEY, store);

const request = (gatewayUrl) => ({
  url: `${gatewayUrl}/v1/chat/completions`,
  headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
  body: JSON.stringify({ model: "default", messages: [{ role: "user", content: "hello" }], max_tokens: 64 }),
});

/**
 * One admission at a time, straight on each store from this process (no gateway, no concurrency): the floor of
 * what a request's check-and-take costs. Five counters, as a request with key and section limits and a budget takes.
 */
async function sequentialAdmissions(redisUrl, folder, count = 3000) {
  const { openGatewayStore } = await import(dist("store/open-store.js"));
  const base = { key_prefix: "bench-seq:", on_store_failure: "open", path: join(folder, "sequential.sqlite") };
  const out = {};
  for (const [name, config] of [
    ["embedded", base],
    ["redis", { ...base, url: redisUrl }],
  ]) {
    const store = await openGatewayStore(config, {});
    const checks = ["a", "b", "c", "d"].map((n) => ({ name: `c:${n}`, limit: 1e12, add: 1, ttlMs: 120_000 }));
    checks.push({ name: "spend", limit: 1e12, add: 0, ttlMs: 120_000 });
    const times = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await store.admit(checks);
      times.push(performance.now() - started);
    }
    await store.close();
    const warm = times.slice(count / 3).sort((a, b) => a - b); // the first third warms the JIT and connection
    out[name] = { p50: percentile(warm, 50), p99: percentile(warm, 99) };
  }
  return out;
}

/** The emulator answers every Converse call after `ms` (a delay fault that never runs out), or at once. */
async function modelTime(emulatorUrl, ms) {
  await fetch(`${emulatorUrl}/_emulator/faults`, { method: "DELETE" });
  if (ms === 0) return;
  const res = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ operation: "Converse", delayMs: ms, count: 1_000_000_000 }),
  });
  if (!res.ok) throw new Error(`emulator faults: HTTP ${res.status} ${await res.text()}`);
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), "bllm-bench-store-"));
  const emulator = await child(emulatorCode);
  const redis = await startRedis();
  const sequential = await sequentialAdmissions(redis.url, folder);
  console.log(`sequential admissions: ${JSON.stringify(sequential)}`);
  const gateways = {
    none: await child(gatewayCode(emulator.url, { api_keys: [API_KEY] })),
    embedded: await child(gatewayCode(emulator.url, keyed({ path: join(folder, "gateway.sqlite") }))),
    redis: await child(gatewayCode(emulator.url, keyed({ url: redis.url }))),
    // The same over its own key prefix, with nothing sent to Bedrock before the store has admitted it.
    redisHeld: await child(
      gatewayCode(emulator.url, keyed({ url: redis.url, key_prefix: "held:", early_send: false })),
    ),
  };
  const names = Object.keys(gateways);
  const only = process.env.BENCH_GATEWAYS?.split(",");
  if (only) for (const name of names.splice(0).filter((n) => n === "none" || only.includes(n))) names.push(name);
  const results = {};
  for (const scenario of SCENARIOS) {
    results[scenarioKey(scenario)] = Object.fromEntries(
      names.map((n) => [
        n,
        { p50: [], p99: [], in50: [], in99: [], admit50: [], admit99: [], cpu: [], redisCpu: [], errors: 0 },
      ]),
    );
  }
  try {
    // Warm up each gateway at the highest rate (JIT, connection pools, the stores' first keys and scripts).
    for (const name of names) await paced(request(gateways[name].url), RATES[0], 3);
    for (const scenario of SCENARIOS) {
      const { rate, modelMs } = scenario;
      await modelTime(emulator.url, modelMs);
      for (let round = 0; round < ROUNDS; round++) {
        const order = names.map((_, i) => names[(i + round) % names.length]);
        for (const name of order) {
          await gateways[name].ask();
          const cpuBefore = [cpuMs(gateways[name].pid), cpuMs(redis.pid)];
          const outside = await paced(request(gateways[name].url), rate, SECONDS);
          const cpuAfter = [cpuMs(gateways[name].pid), cpuMs(redis.pid)];
          const inside = JSON.parse(await gateways[name].ask());
          const r = results[scenarioKey(scenario)][name];
          r.cpu.push((cpuAfter[0] - cpuBefore[0]) / (rate * SECONDS));
          r.redisCpu.push((cpuAfter[1] - cpuBefore[1]) / (rate * SECONDS));
          r.p50.push(outside.p50);
          r.p99.push(outside.p99);
          r.in50.push(inside.p50);
          r.in99.push(inside.p99);
          r.admit50.push(inside.admit50 ?? Number.NaN);
          r.admit99.push(inside.admit99 ?? Number.NaN);
          r.errors += outside.errors;
          console.log(
            `${rate} req/s, model ${modelMs} ms, round ${round + 1}/${ROUNDS} ${name}: client p50 ${fmt(outside.p50)} / p99 ${fmt(outside.p99)} ms, ` +
              `gateway handler p50 ${fmt(inside.p50)} / p99 ${fmt(inside.p99)} ms, ` +
              `admission p50 ${fmt(inside.admit50, 3)} / p99 ${fmt(inside.admit99, 3)} ms, ${outside.errors} errors`,
          );
        }
      }
    }
  } finally {
    for (const g of Object.values(gateways)) g.stop();
    emulator.stop();
    redis.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const rows = SCENARIOS.flatMap(({ rate, modelMs }) =>
    names.map((name) => {
      const r = results[scenarioKey({ rate, modelMs })][name];
      const base = results[scenarioKey({ rate, modelMs })].none;
      return {
        name,
        rate,
        modelMs,
        p50: median(r.p50),
        p99: median(r.p99),
        in50: median(r.in50),
        in99: median(r.in99),
        admit50: median(r.admit50),
        admit99: median(r.admit99),
        cpu: median(r.cpu),
        redisCpu: median(r.redisCpu),
        // Paired within each round (the same minutes of the machine), then the median over the rounds.
        added50: median(r.p50.map((v, i) => v - base.p50[i])),
        addedIn50: median(r.in50.map((v, i) => v - base.in50[i])),
        errors: r.errors,
      };
    }),
  );
  const label = {
    none: "no keys, limits or budgets (api_keys)",
    embedded: "embedded store (SQLite file)",
    redis: "Redis on loopback",
    redisHeld: "Redis on loopback, early_send = false",
  };
  const lines = [
    "## Store: keys, limits and budgets",
    "",
    "Reproduce: `npm run bench -- store` (bench/store.bench.mjs). One emulator, one redis-server and four gateways,",
    "each its own process on the same 2-core machine: one with a plain `api_keys` key, and three with a virtual key",
    "carrying rpm, tpm and a daily budget plus `[server.limits.llm]` rpm and tpm (limits high enough never to refuse,",
    "so every request is looked up, checked against five counters, then reconciled and charged), over the embedded",
    "SQLite file, over Redis, and over Redis with `early_send = false` (far below its limits, each request of the",
    "second goes to Bedrock while Redis decides; the third sends nothing before the answer, as any gateway does near",
    `a limit). Requests paced evenly at ${RATES.join(", ")} req/s (open loop, keep-alive), ${SECONDS} s per gateway`,
    `and round after a warm-up, ${ROUNDS} rounds rotating which gateway goes first; medians over the rounds, the added`,
    "latency as the median of each round's difference from the gateway without keys. Run on",
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
    "",
    "| gateway | load | model time | client p50 / p99 (ms) | added client p50 (ms) | gateway handler p50 / p99 (ms) | added handler p50 (ms) | store admission p50 / p99 (ms) | CPU per request: gateway / redis-server (ms) | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${label[r.name]} | ${r.rate} req/s | ${r.modelMs} ms | ${fmt(r.p50)} / ${fmt(r.p99)} | ${r.name === "none" ? "-" : signed(r.added50)} | ` +
        `${fmt(r.in50)} / ${fmt(r.in99)} | ${r.name === "none" ? "-" : signed(r.addedIn50)} | ` +
        `${r.name === "none" ? "-" : `${fmt(r.admit50, 3)} / ${fmt(r.admit99, 3)}`} | ` +
        `${fmt(r.cpu, 3)} / ${r.name.startsWith("redis") ? fmt(r.redisCpu, 3) : "-"} | ${r.errors} |`,
    ),
    "",
    "\"Gateway handler\" is what each gateway measured itself (its access log's latency_ms, from the request's arrival",
    "to the end of the response, the key check, limits and the emulator call included): the steadier figure on a",
    "shared machine, where the client's includes waiting for a core. \"Store admission\" is the store's own time per",
    "request to check and take from every counter (one SQLite transaction, or one Lua script on Redis, round trip",
    "included), from when it starts until the gateway reads the answer: it runs while the gateway validates the body",
    "and builds and signs the Bedrock request (and, with early_send, while Bedrock answers), so only what is left of",
    "it after that work adds to the latency. Settling after the response (reconciling tokens, charging the cost)",
    "rides with the next admission, in its script or transaction (on its own only when none comes within 5 ms).",
    `"Model time" is how long the emulator takes to answer: 0 ms (at once, which leaves the store's round trip`,
    `nothing to hide behind; no Bedrock call is that fast), then ${MODEL_MS} ms at ${RATES[0]} req/s, as fast as Bedrock's`,
    "fastest calls (most take 0.3 s and more), where the early send hides the store's round trip behind the model's",
    "time as it does in production. Goal: +0.3 ms p50 or less with Redis on loopback.",
    "",
    "One admission at a time, straight on each store (no gateway, no concurrent load; the last two thirds of",
    `3000 calls): embedded ${fmt(sequential.embedded.p50, 3)} ms p50 / ${fmt(sequential.embedded.p99, 3)} ms p99, Redis on loopback ` +
      `${fmt(sequential.redis.p50, 3)} ms p50 / ${fmt(sequential.redis.p99, 3)} ms p99.`,
  ];
  console.log(lines.join("\n"));
  writeSection("store", lines);
}

await main();
