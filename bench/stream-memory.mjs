// A diagnostic, not a benchmark: STREAMS chat-completion streams at once through the gateway, each paced by the
// emulator at 50 events a second for SECONDS, with the gateway's memory (RSS, heap spaces, external) printed every
// second, its CPU per 1,000 events, the gap between events at the client, and how long the streams took.
//   node bench/stream-memory.mjs [STREAMS=1000] [SECONDS=10]      (run `npm run build` first)
//   BENCH_CHECKOUT=<dir>   the gateway of another checkout with dist/ built (the emulator is always this one's)
//   BENCH_VERBOSE=1        print the gateway's memory every second
//   BENCH_HEAP_PROFILE=<file>  write an allocation sample of the gateway (seconds 3-9 of the run), counting only
//                          objects that outlived a young-generation collection
import { spawn } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const checkout = process.env.BENCH_CHECKOUT ?? root;
const [streamsArg = "1000", secondsArg = "10"] = process.argv.slice(2);
const STREAMS = Number(streamsArg);
const SECONDS = Number(secondsArg);
if (!Number.isInteger(STREAMS) || STREAMS < 1 || !Number.isInteger(SECONDS) || SECONDS < 1) {
  console.error("usage: node bench/stream-memory.mjs [STREAMS] [SECONDS]   (whole numbers above 0)");
  process.exit(2);
}
const API_KEY = "sk-bench";
const dist = (base, path) => JSON.stringify(pathToFileURL(join(base, "dist", path)).href);

/** A child process running `code`; resolves once it prints its first line (a URL). */
function child(code) {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout });
  return new Promise((resolve, reject) => {
    proc.once("exit", (c) => reject(new Error(`child exited with ${c}`)));
    lines.once("line", (url) => resolve({ url: url.trim(), proc, lines }));
  });
}

const emulator = await child(`
  const { startEmulator } = await import(${dist(root, "emulator/index.js")});
  const e = await startEmulator({ host: "127.0.0.1", port: 0 });
  console.log(e.url);`);
const gateway = await child(`
  const { configFromObject } = await import(${dist(checkout, "config/index.js")});
  const { startGateway } = await import(${dist(checkout, "gateway/index.js")});
  const v8 = await import("node:v8");
  const config = configFromObject({
    llm: { model: "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0", aws_region_name: "us-east-1",
      aws_access_key_id: "AKIAIOSFODNN7EXAMPLE", aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      aws_bedrock_runtime_endpoint: ${JSON.stringify(emulator.url)}, num_retries: 0 },
    server: { api_keys: [${JSON.stringify(API_KEY)}], max_concurrency: ${Math.max(512, STREAMS)}, max_queue: 512 },
  }, { env: {} });
  const g = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog: () => {} });
  console.log(g.url);
  const file = ${JSON.stringify(process.env.BENCH_HEAP_PROFILE ?? "")};
  if (file) {
    const { Session } = await import("node:inspector");
    const { writeFileSync } = await import("node:fs");
    const session = new Session();
    session.connect();
    const post = (method, params) => new Promise((ok, fail) => session.post(method, params, (e, r) => (e ? fail(e) : ok(r))));
    setTimeout(async () => {
      await post("HeapProfiler.enable");
      await post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: false });
      setTimeout(async () => writeFileSync(file, JSON.stringify((await post("HeapProfiler.stopSampling")).profile)), 6000);
    }, 3000);
  }
  setInterval(() => {
    const m = process.memoryUsage();
    const c = process.cpuUsage();
    const mb = (n) => Math.round(n / 1e6);
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().filter((s) => s.space_size > 0)
      .map((s) => [s.space_name.replace("_space", ""), mb(s.space_used_size) + "/" + mb(s.space_size)]));
    console.log(JSON.stringify({ cpuMs: Math.round((c.user + c.system) / 1000), rss: mb(m.rss), heapUsed: mb(m.heapUsed),
      external: mb(m.external), spaces }));
  }, 1000).unref();`);

let last = {};
let peakRss = 0;
const nextReport = () => new Promise((resolve) => gateway.lines.once("line", resolve));
gateway.lines.on("line", (line) => {
  last = JSON.parse(line);
  peakRss = Math.max(peakRss, last.rss);
  if (process.env.BENCH_VERBOSE) console.log("gateway", line);
});
try {
  await fetch(`${emulator.url}/_emulator/pace`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ eventsPerSecond: 50, events: 50 * SECONDS, operation: "ConverseStream" }),
  });
  await nextReport();
  const cpuBefore = last.cpuMs;
  const agent = new Agent({ keepAlive: true, maxSockets: STREAMS });
  const body = JSON.stringify({
    model: "default",
    messages: [{ role: "user", content: "hello" }],
    max_tokens: 100 * SECONDS,
    stream: true,
  });
  const gaps = [];
  let delivered = 0;
  const one = () =>
    new Promise((resolve) => {
      const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
      const req = httpRequest(`${gateway.url}/v1/chat/completions`, { method: "POST", agent, headers }, (res) => {
        let previous = 0;
        let seen = 0;
        res.on("data", (chunk) => {
          const now = performance.now();
          let events = 0;
          for (let i = chunk.indexOf("data: "); i >= 0; i = chunk.indexOf("data: ", i + 6)) events++;
          // From the third event on; events that arrive together: the gap before the first, then none.
          for (let i = 0; i < events; i++, seen++) if (seen >= 2) gaps.push(i === 0 ? now - previous : 0);
          if (events > 0) previous = now;
          delivered += events;
        });
        res.on("end", resolve);
      });
      req.on("error", resolve);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: STREAMS }, one));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  await nextReport();
  await nextReport();
  gaps.sort((a, b) => a - b);
  const at = (p) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? Number.NaN;
  console.log(
    `${STREAMS} streams x ${SECONDS} s (${STREAMS * 50} events a second asked), gateway ${checkout}: all done after ` +
      `${elapsed.toFixed(1)} s; ${delivered} events; gap p50 ${at(0.5).toFixed(1)} / p99 ${at(0.99).toFixed(1)} ms; ` +
      `gateway CPU ${(((last.cpuMs - cpuBefore) / delivered) * 1000).toFixed(1)} ms per 1,000 events, peak RSS ${peakRss} MB`,
  );
} finally {
  gateway.proc.kill();
  emulator.proc.kill();
}
