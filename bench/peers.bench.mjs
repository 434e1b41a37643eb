// Peers benchmark (issue 17): the bedrock-llm gateway and the Portkey gateway (@portkey-ai/gateway, open source) side
// by side in one run, both in front of the same bedrock-llm emulator, against the same call signed and sent straight
// to the emulator. Chat completions, JSON and SSE: paced latency at fixed rates, the maximum rate, and each gateway
// process's CPU per request and RSS. Every process on loopback; the rounds alternate which target goes first.
//   npm run bench -- peers        (builds first; installs Portkey on first use, the one step that needs the network;
//                                 writes the results into docs/BENCHMARKS.md)
//   BENCH_SECONDS=1 BENCH_ROUNDS=1 npm run bench -- peers
//                                 (a smoke run; BENCH_WARMUP sets the warm-up requests per target, default 1000)
// Portkey is not a dependency of this project: it is installed into BENCH_PORTKEY_DIR (default
// ~/.cache/bedrock-llm-bench/portkey) and reused from there. The emulator listens on port 80 (see EMULATOR_PORT).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ACCESS_KEY,
  chatBody,
  chatRequest,
  directRequest,
  MODEL_ID,
  REGION,
  SECRET_KEY,
  startBedrockLlm,
} from "./support/chat-targets.mjs";
import { startEmulatorProcess } from "./support/emulator-process.mjs";
import { fmt, median, rotatingRounds, rssMb, saturate, signed, writeSection } from "./support/measure.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORTKEY_VERSION = "1.15.2"; // the newest on npm when this was written; it declares no engines
const PORTKEY_DIR = process.env.BENCH_PORTKEY_DIR ?? join(homedir(), ".cache", "bedrock-llm-bench", "portkey");
/**
 * Portkey signs its Bedrock request (SigV4) for the custom host's name without its port, yet sends the port in the
 * Host header, so an emulator on any port but 80 refuses the signature. On port 80 the two agree, unpatched.
 */
const EMULATOR_PORT = 80;
const RATES = [100, 250, 500];
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const TARGETS = ["direct", "bedrockLlm", "portkey"];
const LABEL = { direct: "direct", bedrockLlm: "bedrock-llm", portkey: "Portkey" };

/** Portkey from the scratch folder, installed there with npm when it is not yet (or another version is). */
function installPortkey() {
  const pkg = join(PORTKEY_DIR, "node_modules", "@portkey-ai", "gateway", "package.json");
  const installed = () => existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).version === PORTKEY_VERSION;
  if (!installed()) {
    console.log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${PORTKEY_DIR}`);
    const r = spawnSync(
      "npm",
      ["install", "--prefix", PORTKEY_DIR, "--no-audit", "--no-fund", `@portkey-ai/gateway@${PORTKEY_VERSION}`],
      { stdio: "inherit" },
    );
    if (r.status !== 0 || !installed()) {
      console.error(
        `peers: npm could not install @portkey-ai/gateway@${PORTKEY_VERSION} into ${PORTKEY_DIR}` +
          `${r.error ? ` (${r.error.message})` : ""}; this benchmark needs the npm registry once, then runs offline.`,
      );
      process.exit(1);
    }
  }
  return join(dirname(pkg), "build", "start-server.js");
}

/** Listens on 127.0.0.1:`port` (0: any free port) and closes again; resolves with the port, or the error. */
async function tryPort(port) {
  const server = createServer();
  const error = await new Promise((resolve) => {
    server.once("error", resolve);
    server.listen(port, "127.0.0.1", () => resolve(null));
  });
  if (error) return { error };
  const free = server.address().port;
  await new Promise((r) => server.close(r));
  return { port: free };
}

/**
 * Portkey's own server (its package's bin, build/start-server.js: `--port=N`, `--headless` leaves out the web UI),
 * with its output discarded. It listens on every interface and takes no host option, so a preloaded module makes
 * its numeric-port listen() bind 127.0.0.1. A minimal environment, so that no AWS_* or Redis variable reaches it.
 */
async function startPortkey(serverJs) {
  const { port } = await tryPort(0);
  const loopbackOnly = `import net from "node:net";
    const listen = net.Server.prototype.listen;
    net.Server.prototype.listen = function (port, host, ...rest) {
      return listen.call(this, port, typeof port === "number" ? "127.0.0.1" : host, ...rest);
    };`;
  const proc = spawn(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(loopbackOnly)}`, serverJs, `--port=${port}`, "--headless"],
    { stdio: "ignore", cwd: PORTKEY_DIR, env: { PATH: process.env.PATH, HOME: homedir() } },
  );
  let exited = null;
  proc.once("exit", (code, signal) => {
    exited = code ?? signal;
  });
  const url = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); Date.now() - started < 20_000; ) {
    if (exited !== null) throw new Error(`Portkey exited with ${exited}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, pid: proc.pid, stop: () => proc.kill("SIGTERM") };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill("SIGTERM");
  throw new Error("Portkey did not answer on its port within 20 s");
}

/**
 * Portkey's Bedrock route: the provider and AWS credentials in headers (its open-source gateway has no keys of its
 * own), the emulator as custom host. Portkey appends /model/<id>/converse (or converse-stream) to the custom host.
 */
const portkeyRequest = (gatewayUrl, emulatorUrl, stream) => ({
  url: `${gatewayUrl}/v1/chat/completions`,
  headers: {
    "content-type": "application/json",
    "x-portkey-provider": "bedrock",
    "x-portkey-aws-access-key-id": ACCESS_KEY,
    "x-portkey-aws-secret-access-key": SECRET_KEY,
    "x-portkey-aws-region": REGION,
    "x-portkey-custom-host": new URL(emulatorUrl).origin, // http://127.0.0.1: port 80 leaves no port in the URL
  },
  body: chatBody(MODEL_ID, stream),
});

/** One request end to end before any load: a 200 with the emulator's reply in the shape each target answers. */
async function check(name, target, stream) {
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body });
  const text = stream && name === "direct" ? `${(await res.arrayBuffer()).byteLength} bytes` : await res.text();
  const ok =
    res.status === 200 &&
    (name === "direct"
      ? stream || JSON.parse(text).output?.message?.content?.[0]?.text?.startsWith("Echo")
      : stream
        ? text.includes('"content":"Echo') && text.trimEnd().endsWith("data: [DONE]")
        : JSON.parse(text).choices?.[0]?.message?.content?.startsWith("Echo"));
  if (!ok)
    throw new Error(`${LABEL[name]} ${stream ? "SSE" : "JSON"} check failed: ${res.status} ${text.slice(0, 500)}`);
  console.log(
    `${LABEL[name]} ${stream ? "SSE" : "JSON"} check: ${res.status}, ${text.length > 160 ? `${text.slice(0, 160)}...` : text}`,
  );
}

/** autocannon at fixed connections, as fast as the target answers (or `amount` requests, for the warm-up). */
const load = (target, { seconds = SECONDS, amount } = {}) =>
  saturate(target, { connections: CONNECTIONS, seconds, amount });

/** Adds the section's empty markers right after the gateway-streams section, the first time. */
function ensureMarkers() {
  const doc = join(root, "docs", "BENCHMARKS.md");
  const text = readFileSync(doc, "utf8");
  if (text.includes("<!-- peers:start -->")) return;
  const after = "<!-- gateway-streams:end -->";
  const at = text.indexOf(after);
  if (at < 0) throw new Error("docs/BENCHMARKS.md lacks the gateway-streams markers");
  const end = at + after.length;
  writeFileSync(doc, `${text.slice(0, end)}\n\n<!-- peers:start -->\n<!-- peers:end -->${text.slice(end)}`);
}

async function main() {
  const serverJs = installPortkey();
  const { error } = await tryPort(EMULATOR_PORT);
  if (error) {
    console.error(
      `peers: cannot listen on 127.0.0.1:${EMULATOR_PORT} (${error.code}), which the emulator needs: Portkey ` +
        `${PORTKEY_VERSION} signs its Bedrock requests for the custom host without its port. Free the port, or run ` +
        "as a user allowed to bind it.",
    );
    process.exit(1);
  }
  const loadAtStart = loadavg()[0];
  const emulator = await startEmulatorProcess({ port: EMULATOR_PORT });
  const gateways = {};
  try {
    gateways.bedrockLlm = await startBedrockLlm(emulator.url);
    gateways.portkey = await startPortkey(serverJs);
  } catch (e) {
    for (const p of [emulator, ...Object.values(gateways)]) p.stop();
    throw e;
  }
  const rss = Object.fromEntries(
    Object.entries(gateways).map(([name, g]) => [name, { fresh: rssMb(g.pid), peak: rssMb(g.pid), end: 0 }]),
  );
  const sampler = setInterval(() => {
    for (const [name, g] of Object.entries(gateways)) rss[name].peak = Math.max(rss[name].peak, rssMb(g.pid));
  }, 100);
  const rows = [];
  try {
    for (const [call, stream] of [
      ["chat completions (JSON)", false],
      ["chat completions (SSE)", true],
    ]) {
      const targets = {
        direct: await directRequest(emulator.url, stream),
        bedrockLlm: chatRequest(gateways.bedrockLlm.url, stream),
        portkey: portkeyRequest(gateways.portkey.url, emulator.url, stream),
      };
      for (const name of TARGETS) await check(name, targets[name], stream);
      // Warm up by a number of requests, not seconds: JITs, connection pools, credential caches.
      for (const name of TARGETS) await load(targets[name], { amount: WARMUP });
      for (const rate of [...RATES, "max"]) {
        const runs = await rotatingRounds(TARGETS, (name) => targets[name], {
          rate,
          seconds: SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          pidOf: (name) => gateways[name]?.pid,
          // Signed afresh for each measurement: a long run would outlast the signature's 15 minutes.
          before: async (name) => {
            if (name === "direct") targets.direct = await directRequest(emulator.url, stream);
          },
          title: call,
          label: (name) => LABEL[name],
        });
        // Added latency paired within each round (the same minutes of the machine), then the median over rounds.
        const added = (name, p) => median(runs[name][p].map((v, i) => v - runs.direct[p][i]));
        const summary = Object.fromEntries(
          TARGETS.map((n) => [
            n,
            {
              p50: median(runs[n].p50),
              p99: median(runs[n].p99),
              rps: median(runs[n].rps),
              cpu: median(runs[n].cpu),
              errors: runs[n].errors,
              added50: added(n, "p50"),
              added99: added(n, "p99"),
            },
          ]),
        );
        rows.push({ call, rate, ...summary });
      }
    }
    for (const [name, g] of Object.entries(gateways)) rss[name].end = rssMb(g.pid);
  } finally {
    clearInterval(sampler);
    for (const g of Object.values(gateways)) g.stop();
    emulator.stop();
  }
  const via = (r, n) => `${fmt(r[n].p50)} / ${fmt(r[n].p99)} (${signed(r[n].added50)} / ${signed(r[n].added99)})`;
  const lines = [
    "### Peers: bedrock-llm and Portkey in front of the same emulator",
    "",
    `Reproduce: \`npm run bench -- peers\` (bench/peers.bench.mjs; installs \`@portkey-ai/gateway@${PORTKEY_VERSION}\``,
    "into `~/.cache/bedrock-llm-bench/portkey`, or `BENCH_PORTKEY_DIR`, on first use). One emulator, the bedrock-llm",
    "gateway and the Portkey gateway (its own server, `build/start-server.js`, bound to 127.0.0.1), each its own process",
    "on the same 2-core machine; the emulator listens on port 80, because Portkey signs its Bedrock request for the",
    'custom host without its port. The same chat completion through each ("hello", `max_tokens` 64: the emulator\'s',
    'short echo, as in the gateway section; it scripts longer replies one call at a time only), JSON and SSE; "direct"',
    "is the Converse / ConverseStream call both gateways make, signed and sent straight to the emulator. bedrock-llm",
    "checks an API key; Portkey takes the provider and the AWS keys in `x-portkey-*` headers. Fixed rates paced evenly",
    `(open loop, keep-alive) for ${SECONDS} s; the maximum is autocannon at ${CONNECTIONS} connections for ${SECONDS} s. After`,
    `${WARMUP} warm-up requests per target, ${ROUNDS} round${ROUNDS === 1 ? "" : "s"} rotating which target goes first;`,
    'medians over the rounds, "added" the median of each round\'s difference from direct (p50 / p99, ms). CPU per',
    `request is each gateway process's own (from /proc). Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version};`,
    `load average ${fmt(loadAtStart)} at the start, ${fmt(loadavg()[0])} at the end.`,
    "",
    "| call | load | direct p50 / p99 (ms) | bedrock-llm p50 / p99 (added) | Portkey p50 / p99 (added) | req/s direct / bedrock-llm / Portkey | CPU per request bedrock-llm / Portkey (ms) | errors bedrock-llm / Portkey |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.call} | ${r.rate === "max" ? "as fast as possible" : `${r.rate} req/s`} | ${fmt(r.direct.p50)} / ${fmt(r.direct.p99)} | ` +
        `${via(r, "bedrockLlm")} | ${via(r, "portkey")} | ${fmt(r.direct.rps, 0)} / ${fmt(r.bedrockLlm.rps, 0)} / ${fmt(r.portkey.rps, 0)} | ` +
        `${fmt(r.bedrockLlm.cpu, 3)} / ${fmt(r.portkey.cpu, 3)} | ${r.bedrockLlm.errors} / ${r.portkey.errors} |`,
    ),
    "",
    `RSS, fresh / peak / after the run: bedrock-llm ${fmt(rss.bedrockLlm.fresh, 0)} / ${fmt(rss.bedrockLlm.peak, 0)} / ` +
      `${fmt(rss.bedrockLlm.end, 0)} MB, Portkey ${fmt(rss.portkey.fresh, 0)} / ${fmt(rss.portkey.peak, 0)} / ${fmt(rss.portkey.end, 0)} MB.`,
    "Both log as they do by default, output discarded: bedrock-llm one access-log line per request; Portkey",
    `${PORTKEY_VERSION} nothing per JSON request, and an error with its stack per streamed one (its log middleware reads`,
    "a copy of each Bedrock SSE reply and parses it as JSON).",
  ];
  console.log(lines.join("\n"));
  ensureMarkers();
  writeSection("peers", lines);
}

await main();
