// Gateway benchmark: what the gateway adds over calling the emulator directly, for each front door (chat
// completions, Anthropic Messages, Responses: JSON and stream; embeddings: JSON), its throughput, and its memory
// with 200 concurrent streams. Emulator and gateway each run in their own process; autocannon drives both at
// the same fixed connections and rate. Latencies are taken per response (float ms), not from autocannon's
// integer-millisecond histogram, so sub-millisecond differences show.
//   npm run bench -- gateway      (builds first; writes the results into docs/BENCHMARKS.md)
//   BENCH_BASE=/tmp/gw-base npm run bench -- gateway
//                                 (instead: this gateway's maximum rates against the gateway built in another
//                                 checkout, e.g. the base of a change, in alternating rounds of one run)
//   BENCH_PART=streams npm run bench -- gateway
//                                 (instead: the agent-scale streams, BENCH_AGENT_STREAMS at once, default 1000,
//                                 each paced by the emulator at 50 events a second for BENCH_AGENT_SECONDS, default 20)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { urlOf } from "./support/chat-targets.mjs";
import { cpuMs, fmt, median, paced, percentile, rssMb, saturate, writeSection } from "./support/measure.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path, from = root) => pathToFileURL(join(from, "dist", path)).href;
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const API_KEY = "sk-bench";
const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const EMBEDDING_MODEL_ID = "amazon.titan-embed-text-v2:0";
/** Fixed request rates for the latency comparison: the target's 500 req/s, and a light load for reference. */
const RATES = [100, 500];
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STREAMS = 200;

/**
 * Starts a child process running `code`; resolves with its first stdout line (a URL), its pid, and `ask`, which
 * signals it (SIGUSR2) and resolves with the next line it prints.
 */
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

// The gateway logs as it does by default (stderr, here discarded) and keeps each chat request's handler time, which
// SIGUSR2 reports (p50 / p99 since the last report): what the gateway process itself saw, load generator aside.
// `concurrency`: the gateway's max_concurrency (the agent-scale streams need one slot each, all at once).
const gatewayCode = (emulatorUrl, from = root, concurrency = 512) => `
  const { configFromObject } = await import(${JSON.stringify(dist("config/index.js", from))});
  const { startGateway } = await import(${JSON.stringify(dist("gateway/index.js", from))});
  const { stderrAccessLog } = await import(${JSON.stringify(dist("gateway/access-log.js", from))});
  let handled = [];
  const accessLog = (entry) => {
    if (entry.method === "POST" && entry.status === 200) handled.push(entry.latency_ms);
    stderrAccessLog(entry);
  };
  process.on("SIGUSR2", () => {
    const sorted = handled.sort((a, b) => a - b);
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
    console.log(JSON.stringify({ p50: at(0.5), p99: at(0.99) }));
    handled = [];
  });
  const config = configFromObject({
    llm: { model: "bedrock/${MODEL_ID}", aws_region_name: "us-east-1", aws_access_key_id: "${ACCESS_KEY}",
      aws_secret_access_key: "${SECRET_KEY}", aws_bedrock_runtime_endpoint: "${emulatorUrl}", num_retries: 0 },
    server: { api_keys: ["${API_KEY}"], max_concurrency: ${concurrency}, max_queue: 512 },
  }, { env: {} });
  const g = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog });
  console.log(g.url);
  process.once("SIGTERM", () => g.close().then(() => process.exit(0)));`;

const CONVERSE_BODY = {
  messages: [{ role: "user", content: [{ text: "hello" }] }],
  inferenceConfig: { maxTokens: 64 },
};
/** What the Anthropic door sends to a Claude model natively (InvokeModel / InvokeModelWithResponseStream). */
const ANTHROPIC_BODY = {
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 64,
  messages: [{ role: "user", content: "hello" }],
};
/** What embed() sends to Titan Text Embeddings V2 for one text. */
const TITAN_BODY = { inputText: "hello world", normalize: true };

/**
 * A Bedrock Runtime request signed once (SigV4 allows reuse within its 15-minute window): `action` is the path's
 * last part (converse, converse-stream, invoke, invoke-with-response-stream).
 */
async function signedBedrockRequest(emulatorUrl, action, payload = CONVERSE_BODY, modelId = MODEL_ID) {
  const url = new URL(emulatorUrl);
  const body = JSON.stringify(payload);
  const request = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: `/model/${encodeURIComponent(modelId)}/${action}`,
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
  return doorRequest(gatewayUrl, "/v1/chat/completions", {
    model: "default",
    messages: [{ role: "user", content: "hello" }],
    max_tokens: 64,
    ...(stream && { stream: true, stream_options: { include_usage: true } }),
  });
}

function doorRequest(gatewayUrl, path, body) {
  return {
    url: `${gatewayUrl}${path}`,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

/** The same one-turn "hello" through the Anthropic Messages door (a Claude model: native body on InvokeModel). */
const messagesRequest = (gatewayUrl, stream) =>
  doorRequest(gatewayUrl, "/v1/messages", {
    model: "default",
    max_tokens: 64,
    messages: [{ role: "user", content: "hello" }],
    ...(stream && { stream: true }),
  });

/** ... through the Responses door (mapped to the chat contract, then Converse); store: false, as Codex sends it. */
const responsesRequest = (gatewayUrl, stream) =>
  doorRequest(gatewayUrl, "/v1/responses", {
    model: "default",
    input: "hello",
    max_output_tokens: 64,
    store: false,
    ...(stream && { stream: true }),
  });

/** One text through the embeddings door, base64 as the openai clients ask by default. */
const embeddingsRequest = (gatewayUrl) =>
  doorRequest(gatewayUrl, "/v1/embeddings", {
    model: EMBEDDING_MODEL_ID,
    input: "hello world",
    encoding_format: "base64",
  });

/** autocannon at fixed connections, as fast as the server answers: throughput. */
const load = (target, { rate, seconds = SECONDS, amount } = {}) =>
  saturate(target, { connections: CONNECTIONS, seconds, amount, rate });

/** Opens `count` streams at once (held open by an emulator delay), sampling the gateway's peak RSS meanwhile. */
async function concurrentStreams(emulatorUrl, gateway, count) {
  await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    // Two events reach the gateway, then each stream stalls: all of them are open and mid-stream at once.
    body: JSON.stringify({ operation: "ConverseStream", count, afterEvents: 2, delayMs: 2000 }),
  });
  const idle = rssMb(gateway.pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(gateway.pid));
  }, 25);
  const request = gatewayRequest(gateway.url, true);
  const agent = new Agent({ keepAlive: true, maxSockets: count });
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

/**
 * Streams at agent scale (issue 17): `count` streams open at once, each paced by the emulator at 50 content events
 * a second for `seconds`, first straight to the emulator, then through the gateway. On every stream the client
 * notes when each event arrives; the gaps between events (ideally 20 ms) show what the gateway adds to them. Samples the gateway's RSS meanwhile, and its CPU time per 1,000 events delivered.
 * Last, the same through `floor`, the minimal gateway of bench/support/floor-gateway.mjs: what the least a Node
 * gateway does per event costs at this scale on this machine.
 */
async function agentStreams(emulatorUrl, gateway, floor, count, seconds) {
  const perSecond = 50;
  const events = perSecond * seconds;
  const pace = (body) =>
    fetch(`${emulatorUrl}/_emulator/pace`, {
      method: body ? "POST" : "DELETE",
      headers: { "content-type": "application/json" },
      ...(body && { body: JSON.stringify(body) }),
    });
  await pace({ eventsPerSecond: perSecond, events, operation: "ConverseStream" });
  const run = async (target, counter, gateway) => {
    const agent = new Agent({ keepAlive: true, maxSockets: count });
    const gaps = [];
    let delivered = 0;
    let failed = 0;
    const one = () =>
      new Promise((resolve) => {
        const req = httpRequest(target.url, { method: "POST", headers: target.headers, agent }, (res) => {
          const countEvents = counter();
          let last = 0;
          let seen = 0;
          res.on("data", (chunk) => {
            const now = performance.now();
            const events = countEvents(chunk);
            // The gap before each event, from the third on (the first ones are framing, sent at once); events that
            // arrive together have the gap before the first of them, then none.
            for (let i = 0; i < events; i++, seen++) if (seen >= 2) gaps.push(i === 0 ? now - last : 0);
            if (events > 0) last = now;
            delivered += events;
          });
          res.on("end", () => {
            if (res.statusCode !== 200) failed++;
            resolve();
          });
        });
        req.on("error", () => {
          failed++;
          resolve();
        });
        req.end(target.body);
      });
    const cpuBefore = gateway ? cpuMs(gateway.pid) : 0;
    let peak = gateway ? rssMb(gateway.pid) : 0;
    const sampler = setInterval(() => {
      if (gateway) peak = Math.max(peak, rssMb(gateway.pid));
    }, 100);
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, one));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    agent.destroy();
    gaps.sort((a, b) => a - b);
    return {
      p50: percentile(gaps, 50),
      p99: percentile(gaps, 99),
      delivered,
      failed,
      elapsed,
      peak,
      cpuPer1000: gateway ? ((cpuMs(gateway.pid) - cpuBefore) / delivered) * 1000 : NaN,
    };
  };
  const bedrock = await signedBedrockRequest(emulatorUrl, "converse-stream", {
    ...CONVERSE_BODY,
    inferenceConfig: { maxTokens: events * 2 },
  });
  const chat = (url) =>
    doorRequest(url, "/v1/chat/completions", {
      model: "default",
      messages: [{ role: "user", content: "hello" }],
      max_tokens: events * 2,
      stream: true,
    });
  const direct = await run(bedrock, frameCounter);
  const viaGateway = await run(chat(gateway.url), sseCounter, gateway);
  const viaFloor = await run(chat(floor.url), sseCounter, floor);
  await pace();
  return { count, seconds, direct, viaGateway, viaFloor };
}

/** Per stream: how many event-stream frames each chunk completes (frames may span chunks). */
function frameCounter() {
  let rest = Buffer.alloc(0);
  return (chunk) => {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let frames = 0;
    while (data.length >= 4 && data.length >= data.readUInt32BE(0)) {
      data = data.subarray(data.readUInt32BE(0));
      frames++;
    }
    rest = Buffer.from(data);
    return frames;
  };
}

/** Per stream: how many SSE events (each ends with a blank line) each chunk completes. */
function sseCounter() {
  let endedWithNewline = false;
  return (chunk) => {
    const text = chunk.toString("latin1");
    let events = endedWithNewline && text.startsWith("\n") ? 1 : 0;
    for (let at = text.indexOf("\n\n"); at >= 0; at = text.indexOf("\n\n", at + 2)) events++;
    endedWithNewline = text.endsWith("\n") && !text.endsWith("\n\n");
    return events;
  };
}

async function main() {
  const loadAtStart = loadavg()[0];
  const emulator = await child(emulatorCode);
  const gateway = await child(gatewayCode(emulator.url));
  try {
    // Memory first, on a fresh gateway: what 200 concurrent streams cost, not what earlier load left behind.
    const streams = await concurrentStreams(emulator.url, gateway, STREAMS);
    console.log(
      `RSS: ${fmt(streams.idle, 0)} MB idle, ${fmt(streams.peak, 0)} MB peak with ${STREAMS} concurrent streams (${streams.ok} completed)`,
    );
    const converse = await signedBedrockRequest(emulator.url, "converse");
    const converseStream = await signedBedrockRequest(emulator.url, "converse-stream");
    const invoke = await signedBedrockRequest(emulator.url, "invoke", ANTHROPIC_BODY);
    const invokeStream = await signedBedrockRequest(emulator.url, "invoke-with-response-stream", ANTHROPIC_BODY);
    const embed = await signedBedrockRequest(emulator.url, "invoke", TITAN_BODY, EMBEDDING_MODEL_ID);
    // Each door against the Bedrock call it makes: chat and Responses -> Converse, Anthropic Messages (a Claude
    // model) -> InvokeModel with the native body, embeddings -> InvokeModel on Titan Text Embeddings V2.
    const cases = [
      ["Converse (JSON)", converse, gatewayRequest(gateway.url, false)],
      ["ConverseStream (SSE)", converseStream, gatewayRequest(gateway.url, true)],
      ["Anthropic Messages (JSON)", invoke, messagesRequest(gateway.url, false)],
      ["Anthropic Messages (SSE)", invokeStream, messagesRequest(gateway.url, true)],
      ["Responses (JSON)", converse, responsesRequest(gateway.url, false)],
      ["Responses (SSE)", converseStream, responsesRequest(gateway.url, true)],
      ["Embeddings (JSON)", embed, embeddingsRequest(gateway.url)],
    ];
    // Warm up JITs, connection pools and the credential cache on every path.
    for (const [, d, g] of cases) {
      await load(d, { rate: 200, seconds: 2 });
      await load(g, { rate: 200, seconds: 2 });
    }

    const rows = [];
    for (const [name, d, g] of cases) {
      for (const rate of RATES) {
        const base = await paced(d, rate, SECONDS);
        await gateway.ask(); // starts the gateway's own count afresh
        const gw = await paced(g, rate, SECONDS);
        const inside = JSON.parse(await gateway.ask());
        rows.push({ name, rate, base, gw, inside });
        console.log(
          `${name} at ${rate} req/s: direct p50 ${fmt(base.p50)} / p99 ${fmt(base.p99)} ms, via gateway p50 ${fmt(gw.p50)} / p99 ${fmt(gw.p99)} ms ` +
            `(${fmt(gw.rps, 0)} req/s achieved, ${gw.errors} errors); gateway handler p50 ${fmt(inside.p50)} / p99 ${fmt(inside.p99)} ms`,
        );
      }
      const baseMax = await load(d, { seconds: 5 });
      const gwMax = await load(g, { seconds: 5 });
      rows.push({ name, rate: "max", base: baseMax, gw: gwMax });
      console.log(`${name} max throughput: ${fmt(baseMax.rps, 0)} req/s direct, ${fmt(gwMax.rps, 0)} via gateway`);
    }
    streams.afterLoad = rssMb(gateway.pid);
    writeResults(rows, streams, [loadAtStart, loadavg()[0]]);
  } finally {
    gateway.stop();
    emulator.stop();
  }
}

function writeResults(rows, streams, load) {
  const lines = [
    "## Gateway",
    "",
    "Reproduce: `npm run bench -- gateway` (bench/gateway.bench.mjs). Emulator, gateway and the load generator run as",
    'separate processes on the same 2-core machine. "Direct" is the Bedrock call the door makes, signed with SigV4 and sent',
    "straight to the emulator (chat completions and Responses: Converse / ConverseStream; Anthropic Messages to a Claude",
    "model: InvokeModel / InvokeModelWithResponseStream with the native body; embeddings: InvokeModel on Titan Text",
    "Embeddings V2, one text, base64 to the client), so the difference is what the gateway adds (HTTP parsing, auth,",
    "validation, the door's mapping, and the AWS SDK's request pipeline and connection). Fixed rates are paced evenly (open loop, one request",
    `every 1000/rate ms, keep-alive connections) for ${SECONDS} s each; the maximum is autocannon at ${CONNECTIONS} connections.`,
    `Latencies are per response (float ms). Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}; the`,
    `machine's 1-minute load average was ${fmt(load[0])} at the start and ${fmt(load[1])} at the end (other work on the`,
    "machine takes cores from the three processes, which shows most in the p99 columns).",
    "",
    "| call | load | direct p50 / p99 (ms) | via gateway p50 / p99 (ms) | added p50 / p99 (ms) | gateway handler p50 / p99 (ms) | req/s direct / via gateway |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.rate === "max" ? "as fast as possible" : `${r.rate} req/s`} | ${fmt(r.base.p50)} / ${fmt(r.base.p99)} | ` +
        `${fmt(r.gw.p50)} / ${fmt(r.gw.p99)} | ${fmt(r.gw.p50 - r.base.p50)} / ${fmt(r.gw.p99 - r.base.p99)} | ` +
        `${r.inside ? `${fmt(r.inside.p50)} / ${fmt(r.inside.p99)}` : "-"} | ${fmt(r.base.rps, 0)} / ${fmt(r.gw.rps, 0)} |`,
    ),
    "",
    '"Gateway handler" is the time the gateway process itself measured per request (its access log\'s latency_ms: from',
    "the request's arrival in the handler to the end of the response, the emulator call included). Where it is far below",
    '"via gateway", the rest was spent outside the gateway\'s handler: in the kernel and in waiting for a core, which',
    "three busy processes share two of.",
    "",
    `Gateway RSS: ${fmt(streams.idle, 0)} MB fresh, ${fmt(streams.peak, 0)} MB peak with ${STREAMS} concurrent streams held`,
    `open mid-reply (${streams.ok}/${STREAMS} completed), ${fmt(streams.afterLoad, 0)} MB after the whole run.`,
    "Targets: added p50 <= 1 ms and p99 <= 5 ms at 500 req/s; RSS <= 150 MB with 200 concurrent streams.",
  ];
  writeSection("gateway", lines);
}

/**
 * BENCH_BASE=<checkout with a built dist/>: the maximum rates of that checkout's gateway and this one, side by side
 * in front of one emulator, in alternating rounds (which goes first alternates too), so that a change to the
 * gateway is measured against its base in the same run. Reports the median of the per-round ratios, and each
 * gateway's own CPU time per request (from /proc) over its rounds.
 */
async function compare(baseRoot) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const emulator = await child(emulatorCode);
  const base = await child(gatewayCode(emulator.url, baseRoot));
  const head = await child(gatewayCode(emulator.url, root));
  const rows = [];
  try {
    for (const [name, stream] of [
      ["Converse (JSON)", false],
      ["ConverseStream (SSE)", true],
    ]) {
      const targets = { base: gatewayRequest(base.url, stream), head: gatewayRequest(head.url, stream) };
      // Warm up by a number of requests (BENCH_WARMUP, default 2000), not seconds: on a busy machine a few seconds
      // leave the code unoptimised.
      const warmup = Number(process.env.BENCH_WARMUP ?? 2000);
      for (const target of Object.values(targets)) await load(target, { amount: warmup });
      const runs = { base: [], head: [] };
      const cpu = { base: { ms: 0, requests: 0 }, head: { ms: 0, requests: 0 } };
      const ratios = [];
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? ["base", "head"] : ["head", "base"];
        const rps = {};
        for (const side of order) {
          const pid = side === "base" ? base.pid : head.pid;
          const before = cpuMs(pid);
          const result = await load(targets[side], { seconds });
          cpu[side].ms += cpuMs(pid) - before;
          cpu[side].requests += result.total;
          if (result.errors > 0) throw new Error(`${side} answered ${result.errors} errors`);
          rps[side] = result.rps;
          runs[side].push(result.rps);
        }
        ratios.push(rps.head / rps.base);
        console.log(
          `${name} round ${round + 1}/${rounds}: base ${fmt(rps.base, 0)} req/s, this ${fmt(rps.head, 0)} req/s (${fmt(rps.head / rps.base, 3)}x)`,
        );
      }
      rows.push({
        name,
        base: median(runs.base),
        head: median(runs.head),
        ratio: median(ratios),
        low: Math.min(...ratios),
        high: Math.max(...ratios),
        cpuBase: cpu.base.ms / cpu.base.requests,
        cpuHead: cpu.head.ms / cpu.head.requests,
      });
    }
  } finally {
    base.stop();
    head.stop();
    emulator.stop();
  }
  const lines = [
    `Base: ${process.env.BENCH_BASE_LABEL ?? baseRoot}. ${rounds} rounds of ${seconds} s per gateway and call after`,
    `${process.env.BENCH_WARMUP ?? 2000} warm-up requests each, autocannon at ${CONNECTIONS} connections, alternating which goes first; run on`,
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${AGENT_LOAD_BEFORE} before, ${loadAverage()} after (2 cores).`,
    "",
    "| call | base max req/s (median) | this max req/s (median) | ratio (median of rounds) | lowest / highest round | gateway CPU per request, base / this |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.base, 0)} | ${fmt(r.head, 0)} | **${fmt(r.ratio, 3)}x** | ${fmt(r.low, 3)}x / ${fmt(r.high, 3)}x | ` +
        `${fmt(r.cpuBase, 3)} / ${fmt(r.cpuHead, 3)} ms |`,
    ),
  ];
  console.log(lines.join("\n"));
  writeSection("gateway-compare", lines);
}

const AGENT_STREAMS = Number(process.env.BENCH_AGENT_STREAMS ?? 1000);
const AGENT_SECONDS = Number(process.env.BENCH_AGENT_SECONDS ?? 20);

/** The agent-scale streams on a fresh emulator and gateway, written to their own section. */
async function agentScale() {
  const emulator = await child(emulatorCode);
  // Every stream holds a slot from its start: with fewer slots the rest would queue and run after, not at once.
  const gateway = await child(gatewayCode(emulator.url, root, Math.max(512, AGENT_STREAMS)));
  const floor = await urlOf(
    spawn(process.execPath, [join(root, "bench", "support", "floor-gateway.mjs"), emulator.url, "minimal"], {
      stdio: ["ignore", "pipe", "inherit"],
    }),
    "the floor gateway",
  );
  try {
    const idle = rssMb(gateway.pid);
    const floorIdle = rssMb(floor.pid);
    const r = await agentStreams(emulator.url, gateway, floor, AGENT_STREAMS, AGENT_SECONDS);
    const { direct: d, viaGateway: g, viaFloor: f } = r;
    console.log(
      `${r.count} paced streams for ${r.seconds} s: gap between events direct p50 ${fmt(d.p50)} / p99 ${fmt(d.p99)} ms, ` +
        `via gateway p50 ${fmt(g.p50)} / p99 ${fmt(g.p99)} ms; ${g.delivered} events via gateway (${g.failed} failed ` +
        `streams, ${d.failed} direct); gateway RSS ${fmt(idle, 0)} MB idle, ${fmt(g.peak, 0)} MB peak; ` +
        `gateway CPU ${fmt(g.cpuPer1000)} ms per 1,000 events; floor p50 ${fmt(f.p50)} / p99 ${fmt(f.p99)} ms, ` +
        `${f.delivered} events, ${f.failed} failed, CPU ${fmt(f.cpuPer1000)} ms per 1,000 events`,
    );
    writeSection("gateway-streams", [
      "### Streams at agent scale",
      "",
      `${r.count} streams open at once, each paced by the emulator at 50 content events a second for ${r.seconds} s`,
      "(`POST /_emulator/pace`), first straight to the emulator (signed ConverseStream, HTTP/1.1), then through the",
      "bedrock-llm gateway (SSE), then through the minimal gateway of `npm run bench -- floor` (the least a Node gateway",
      "does: decode each frame, write it as an SSE chunk; bench/support/floor-gateway.mjs); a fresh emulator and",
      "gateways. The client notes when each event arrives on each stream (events",
      "that arrive together: the gap before the first, then none); the gap is ideally 20 ms, and the difference",
      `between the two runs is what the gateway adds. Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${AGENT_LOAD_BEFORE} at the start of the`,
      `benchmark, ${loadAverage()} after (2 cores). Reproduce: \`BENCH_PART=streams npm run bench -- gateway\``,
      "(`BENCH_AGENT_STREAMS`, `BENCH_AGENT_SECONDS`).",
      "",
      "| | gap p50 / p99 (ms) | added p50 / p99 (ms) | events delivered | failed streams | all streams done after (s) | gateway RSS idle / peak | gateway CPU per 1,000 events |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      `| direct | ${fmt(d.p50)} / ${fmt(d.p99)} | - | ${d.delivered} | ${d.failed} | ${fmt(d.elapsed, 1)} | - | - |`,
      `| via gateway | ${fmt(g.p50)} / ${fmt(g.p99)} | ${fmt(g.p50 - d.p50)} / ${fmt(g.p99 - d.p99)} | ${g.delivered} | ` +
        `${g.failed} | ${fmt(g.elapsed, 1)} | ${fmt(idle, 0)} / ${fmt(g.peak, 0)} MB | ${fmt(g.cpuPer1000)} ms |`,
      `| via the floor (minimal gateway) | ${fmt(f.p50)} / ${fmt(f.p99)} | ${fmt(f.p50 - d.p50)} / ${fmt(f.p99 - d.p99)} | ` +
        `${f.delivered} | ${f.failed} | ${fmt(f.elapsed, 1)} | ${fmt(floorIdle, 0)} / ${fmt(f.peak, 0)} MB | ${fmt(f.cpuPer1000)} ms |`,
      "",
      `Targets (issue 17): the gateway adds at most 10 ms to the p99 gap; RSS under 300 MB. The streams ask for ${r.count * 50}`,
      'events a second; "all streams done after" longer than their paced length means the machine could not keep up.',
    ]);
  } finally {
    gateway.stop();
    floor.stop();
    emulator.stop();
  }
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0];
const AGENT_LOAD_BEFORE = loadAverage();

if (process.env.BENCH_BASE) await compare(process.env.BENCH_BASE);
else if (process.env.BENCH_PART === "streams") await agentScale();
else await main();
