// Gateway benchmark: what the gateway adds over calling the emulator directly, its throughput, and its memory
// with 200 concurrent streams. Emulator and gateway each run in their own process; autocannon drives both at
// the same fixed connections and rate. Latencies are taken per response (float ms), not from autocannon's
// integer-millisecond histogram, so sub-millisecond differences show.
//   npm run bench -- gateway      (builds first; writes the results into docs/BENCHMARKS.md)
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import autocannon from "autocannon";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path) => pathToFileURL(join(root, "dist", path)).href;
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const API_KEY = "sk-bench";
const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const RATE = 500;
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STREAMS = 200;

/** Starts a child process running `code`; resolves with its first stdout line (a URL) and its pid. */
function child(code) {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: proc.stdout });
  return new Promise((resolve, reject) => {
    proc.once("exit", (c) => reject(new Error(`child exited with ${c}`)));
    lines.once("line", (url) => resolve({ url: url.trim(), pid: proc.pid, stop: () => proc.kill("SIGTERM") }));
  });
}

const emulatorCode = `
  const { startEmulator } = await import(${JSON.stringify(dist("emulator/index.js"))});
  const e = await startEmulator({ host: "127.0.0.1", port: 0 });
  console.log(e.url);`;

const gatewayCode = (emulatorUrl) => `
  const { configFromObject } = await import(${JSON.stringify(dist("config/index.js"))});
  const { startGateway } = await import(${JSON.stringify(dist("gateway/index.js"))});
  const config = configFromObject({
    llm: { model: "bedrock/${MODEL_ID}", aws_region_name: "us-east-1", aws_access_key_id: "${ACCESS_KEY}",
      aws_secret_access_key: "${SECRET_KEY}", aws_bedrock_runtime_endpoint: "${emulatorUrl}", num_retries: 0 },
    server: { api_keys: ["${API_KEY}"], max_concurrency: 512, max_queue: 512 },
  }, { env: {} });
  const g = await startGateway(config, { host: "127.0.0.1", port: 0 });
  console.log(g.url);
  process.once("SIGTERM", () => g.close().then(() => process.exit(0)));`;

/** A Converse / ConverseStream request signed once (SigV4 allows reuse within its 15-minute window). */
async function signedBedrockRequest(emulatorUrl, stream) {
  const url = new URL(emulatorUrl);
  const body = JSON.stringify({
    messages: [{ role: "user", content: [{ text: "hello" }] }],
    inferenceConfig: { maxTokens: 64 },
  });
  const request = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: `/model/${encodeURIComponent(MODEL_ID)}/${stream ? "converse-stream" : "converse"}`,
    headers: { host: url.host, "content-type": "application/json" },
    body,
  });
  const signer = new SignatureV4({
    service: "bedrock",
    region: "us-east-1",
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(request);
  return { url: `${emulatorUrl}${signed.path}`, headers: signed.headers, body };
}

function gatewayRequest(gatewayUrl, stream) {
  return {
    url: `${gatewayUrl}/v1/chat/completions`,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "default",
      messages: [{ role: "user", content: "hello" }],
      max_tokens: 64,
      ...(stream && { stream: true, stream_options: { include_usage: true } }),
    }),
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function load(target, { rate, seconds = SECONDS } = {}) {
  const times = [];
  let errors = 0;
  const instance = autocannon({
    url: target.url,
    method: "POST",
    headers: target.headers,
    body: target.body,
    connections: CONNECTIONS,
    duration: seconds,
    ...(rate && { overallRate: rate }),
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status === 200) times.push(ms);
    else errors++;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    rps: result.requests.average,
    errors: errors + result.errors + result.timeouts,
  };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Opens `count` streams at once (held open by an emulator delay), sampling the gateway's peak RSS meanwhile. */
async function concurrentStreams(emulatorUrl, gateway, count) {
  await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ operation: "ConverseStream", count, delayMs: 2000 }),
  });
  const idle = rssMb(gateway.pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(gateway.pid));
  }, 25);
  const request = gatewayRequest(gateway.url, true);
  const { Agent } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  const { request: httpRequest } = await import("node:http");
  const one = () =>
    new Promise((resolve, reject) => {
      const req = httpRequest(request.url, { method: "POST", headers: request.headers, agent }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve(res.statusCode === 200 && text.endsWith("data: [DONE]\n\n")));
      });
      req.on("error", reject);
      req.end(request.body);
    });
  const results = await Promise.all(Array.from({ length: count }, one));
  clearInterval(sampler);
  agent.destroy();
  return { idle, peak, ok: results.filter(Boolean).length };
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

async function main() {
  const emulator = await child(emulatorCode);
  const gateway = await child(gatewayCode(emulator.url));
  try {
    const direct = await signedBedrockRequest(emulator.url, false);
    const directStream = await signedBedrockRequest(emulator.url, true);
    const viaGateway = gatewayRequest(gateway.url, false);
    const viaGatewayStream = gatewayRequest(gateway.url, true);
    // Warm up JITs, connection pools and the credential cache on both paths.
    for (const target of [direct, viaGateway, directStream, viaGatewayStream])
      await load(target, { rate: RATE, seconds: 2 });

    const rows = [];
    for (const [name, d, g] of [
      ["Converse (JSON)", direct, viaGateway],
      ["ConverseStream (SSE)", directStream, viaGatewayStream],
    ]) {
      const base = await load(d, { rate: RATE });
      const gw = await load(g, { rate: RATE });
      const baseMax = await load(d, { seconds: 5 });
      const gwMax = await load(g, { seconds: 5 });
      rows.push({ name, base, gw, baseMax, gwMax });
      console.log(
        `${name}: added p50 ${fmt(gw.p50 - base.p50)} ms, p99 ${fmt(gw.p99 - base.p99)} ms at ${RATE} req/s; ` +
          `max throughput ${fmt(gwMax.rps, 0)} req/s via gateway vs ${fmt(baseMax.rps, 0)} direct; errors ${gw.errors + gwMax.errors}`,
      );
    }
    const streams = await concurrentStreams(emulator.url, gateway, STREAMS);
    console.log(
      `RSS: ${fmt(streams.idle, 0)} MB idle, ${fmt(streams.peak, 0)} MB peak with ${STREAMS} concurrent streams (${streams.ok} completed)`,
    );
    writeResults(rows, streams);
  } finally {
    gateway.stop();
    emulator.stop();
  }
}

function writeResults(rows, streams) {
  const lines = [
    "## Gateway",
    "",
    `Reproduce: \`npm run bench -- gateway\` (bench/gateway.bench.mjs). Emulator and gateway in separate processes on`,
    `the same 2-core machine as autocannon; ${CONNECTIONS} connections; latency at a fixed ${RATE} req/s for ${SECONDS} s;`,
    '"direct" is the same call signed with SigV4 straight to the emulator, so the difference is what the gateway adds',
    "(HTTP parsing, auth, validation, the OpenAI <-> Converse mapping, the AWS SDK's signing and HTTP/2 hop). Run on",
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
    "",
    "| path | direct p50 / p99 (ms) | via gateway p50 / p99 (ms) | added p50 / p99 (ms) | max req/s direct / via gateway |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.base.p50)} / ${fmt(r.base.p99)} | ${fmt(r.gw.p50)} / ${fmt(r.gw.p99)} | ` +
        `${fmt(r.gw.p50 - r.base.p50)} / ${fmt(r.gw.p99 - r.base.p99)} | ${fmt(r.baseMax.rps, 0)} / ${fmt(r.gwMax.rps, 0)} |`,
    ),
    "",
    `Gateway RSS: ${fmt(streams.idle, 0)} MB idle, ${fmt(streams.peak, 0)} MB peak with ${STREAMS} concurrent streams ` +
      `(${streams.ok}/${STREAMS} completed). Targets: added p50 <= 1 ms, p99 <= 5 ms at 500 req/s; RSS <= 150 MB.`,
  ];
  const file = join(root, "docs/BENCHMARKS.md");
  const text = readFileSync(file, "utf8");
  const start = "<!-- gateway:start -->";
  const end = "<!-- gateway:end -->";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error("docs/BENCHMARKS.md lacks the gateway markers");
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${lines.join("\n")}\n${text.slice(to)}`);
}

await main();
