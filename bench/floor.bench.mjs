// The floor of a Node gateway on this machine (issue 17's targets 1 and 2): what the least a gateway written for Node
// can do per call costs, in the same run as the bedrock-llm gateway and the direct call, all in front of the same
// emulator. Two floors (bench/support/floor-gateway.mjs): a relay that passes the signed Converse call through from
// HTTP/1.1 to one HTTP/2 session, bytes unchanged; and a minimal gateway that takes an OpenAI chat completion, maps
// it to Converse, signs it and maps the reply back, with none of a production gateway's checks, logs or metrics.
// Chat completions JSON and SSE, paced at 500 req/s and as fast as possible; each process's CPU per request.
//   npm run bench -- floor       (writes the results into docs/BENCHMARKS.md)
//   BENCH_SECONDS=1 BENCH_ROUNDS=1 BENCH_WARMUP=200 npm run bench -- floor    (a smoke run)
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chatRequest, directRequest, startBedrockLlm, urlOf } from "./support/chat-targets.mjs";
import { startEmulatorProcess } from "./support/emulator-process.mjs";
import { cpuMs, median, paced, saturate, writeSection } from "./support/measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const RATE = 500;
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const TARGETS = ["direct", "relay", "minimal", "bedrockLlm"];
const LABEL = {
  direct: "direct (no gateway)",
  relay: "floor: relay",
  minimal: "floor: minimal gateway",
  bedrockLlm: "bedrock-llm gateway",
};

const startFloor = (emulatorUrl, mode) =>
  urlOf(
    spawn(process.execPath, [join(here, "support", "floor-gateway.mjs"), emulatorUrl, mode], {
      stdio: ["ignore", "pipe", "inherit"],
    }),
    `the floor gateway (${mode})`,
  );

/** One request before any load: a 200, and the emulator's echo in the shape each target answers. */
async function check(name, target, stream) {
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: target.body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString("utf8");
  const raw = name === "direct" || name === "relay";
  const ok =
    res.status === 200 &&
    (raw
      ? stream
        ? text.includes("contentBlockDelta") && text.includes("metadata")
        : JSON.parse(text).output?.message?.content?.[0]?.text?.startsWith("Echo")
      : stream
        ? text.includes('"content":"Echo') && text.includes('"usage":{') && text.trimEnd().endsWith("data: [DONE]")
        : JSON.parse(text).choices?.[0]?.message?.content?.startsWith("Echo"));
  if (!ok)
    throw new Error(`${LABEL[name]} ${stream ? "SSE" : "JSON"} check failed: ${res.status} ${text.slice(0, 300)}`);
  console.log(`${LABEL[name]} ${stream ? "SSE" : "JSON"} check: ${res.status}, ${bytes.length} bytes`);
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const signed = (n) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(2)}` : "n/a");

async function main() {
  const loadAtStart = loadavg()[0];
  const emulator = await startEmulatorProcess();
  const gateways = {};
  try {
    gateways.relay = await startFloor(emulator.url, "relay");
    gateways.minimal = await startFloor(emulator.url, "minimal");
    gateways.bedrockLlm = await startBedrockLlm(emulator.url);
  } catch (e) {
    for (const p of [emulator, ...Object.values(gateways)]) p.stop();
    throw e;
  }
  const results = [];
  try {
    for (const [call, stream] of [
      ["chat completions (JSON)", false],
      ["chat completions (SSE)", true],
    ]) {
      const direct = await directRequest(emulator.url, stream);
      const targets = {
        direct,
        relay: { ...direct, url: direct.url.replace(new URL(emulator.url).origin, gateways.relay.url) },
        minimal: chatRequest(gateways.minimal.url, stream),
        bedrockLlm: chatRequest(gateways.bedrockLlm.url, stream),
      };
      for (const name of TARGETS) await check(name, targets[name], stream);
      for (const name of TARGETS) await saturate(targets[name], { connections: CONNECTIONS, amount: WARMUP });
      for (const rate of [RATE, "max"]) {
        const runs = Object.fromEntries(TARGETS.map((n) => [n, { p50: [], p99: [], rps: [], cpu: [], errors: 0 }]));
        for (let round = 0; round < ROUNDS; round++) {
          for (const name of TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length])) {
            if (name === "direct" || name === "relay") {
              // Signed afresh for each measurement: a long run would outlast the signature's 15 minutes.
              const fresh = await directRequest(emulator.url, stream);
              targets.direct = fresh;
              targets.relay = { ...fresh, url: fresh.url.replace(new URL(emulator.url).origin, gateways.relay.url) };
            }
            const pid = gateways[name]?.pid;
            const cpuBefore = pid ? cpuMs(pid) : 0;
            const r =
              rate === "max"
                ? await saturate(targets[name], { connections: CONNECTIONS, seconds: SECONDS })
                : await paced(targets[name], rate, SECONDS);
            const run = runs[name];
            run.p50.push(r.p50);
            run.p99.push(r.p99);
            run.rps.push(r.rps);
            run.cpu.push(pid ? (cpuMs(pid) - cpuBefore) / (rate === "max" ? r.total : rate * SECONDS) : Number.NaN);
            run.errors += r.errors;
            console.log(
              `${call} ${rate === "max" ? "max" : `${rate} req/s`} round ${round + 1}/${ROUNDS} ${LABEL[name]}: ` +
                `p50 ${fmt(r.p50)} / p99 ${fmt(r.p99)} ms, ${fmt(r.rps, 0)} req/s, ${r.errors} errors` +
                (pid ? `, CPU ${fmt(run.cpu.at(-1), 3)} ms per request` : ""),
            );
          }
        }
        const added = (name, p) => median(runs[name][p].map((v, i) => v - runs.direct[p][i]));
        const ofDirect = (name) => median(runs[name].rps.map((v, i) => v / runs.direct.rps[i]));
        for (const name of TARGETS)
          results.push({
            call,
            rate,
            name,
            p50: median(runs[name].p50),
            p99: median(runs[name].p99),
            added50: added(name, "p50"),
            added99: added(name, "p99"),
            rps: median(runs[name].rps),
            ofDirect: ofDirect(name),
            cpu: median(runs[name].cpu),
            errors: runs[name].errors,
          });
      }
    }
  } finally {
    for (const g of Object.values(gateways)) g.stop();
    emulator.stop();
  }
  const row = (r) =>
    r.rate === "max"
      ? `| ${r.call} | as fast as possible | ${LABEL[r.name]} | ${fmt(r.p50)} / ${fmt(r.p99)} | ` +
        `${r.name === "direct" ? "-" : `${signed(r.added50)} / ${signed(r.added99)}`} | ${fmt(r.rps, 0)} (${fmt(r.ofDirect)}x) | ` +
        `${r.name === "direct" ? "-" : fmt(r.cpu, 3)} | ${r.errors} |`
      : `| ${r.call} | ${r.rate} req/s | ${LABEL[r.name]} | ${fmt(r.p50)} / ${fmt(r.p99)} | ` +
        `${r.name === "direct" ? "-" : `${signed(r.added50)} / ${signed(r.added99)}`} | ${fmt(r.rps, 0)} | ` +
        `${r.name === "direct" ? "-" : fmt(r.cpu, 3)} | ${r.errors} |`;
  const lines = [
    "### The floor: what the least a Node gateway does costs on this machine",
    "",
    "Reproduce: `npm run bench -- floor` (bench/floor.bench.mjs, the floors in bench/support/floor-gateway.mjs). One",
    "emulator and three gateways, each its own process on the same 2-core machine as the load generator: a relay",
    "(node:http in, the signed Converse call passed unchanged over one node:http2 session, the reply passed back",
    "unchanged: the transport alone), a minimal gateway (an OpenAI chat completion in; one API key compared, the body",
    "parsed, mapped to Converse, signed with @smithy/signature-v4 and sent over one HTTP/2 session; the reply parsed and",
    "answered as a chat.completion, or its event-stream frames decoded with @smithy/eventstream-codec and written as",
    "SSE chunks; no validation, limits, logs, metrics, retries or timeouts) and the bedrock-llm gateway as the peers",
    'section runs it (access log on, discarded). "Direct" is the signed Converse / ConverseStream call sent straight',
    'to the emulator. The same "hello" with `max_tokens` 64 through each. Paced evenly at 500 req/s (open loop,',
    `keep-alive) for ${SECONDS} s, and autocannon at ${CONNECTIONS} connections for ${SECONDS} s; after ${WARMUP} warm-up requests per`,
    `target, ${ROUNDS} round${ROUNDS === 1 ? "" : "s"} rotating which target goes first; medians over the rounds, "added" and`,
    '"of direct" the median of each round\'s difference from (ratio to) direct. CPU per request is each gateway',
    `process's own (from /proc). Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}; load average`,
    `${fmt(loadAtStart)} at the start, ${fmt(loadavg()[0])} at the end (2 cores).`,
    "",
    "| call | load | target | p50 / p99 (ms) | added p50 / p99 (ms) | req/s (of direct) | CPU per request (ms) | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(row),
    "",
    "Issue 17's targets 1 and 2 ask the bedrock-llm gateway for at most 0.4 ms of CPU per request at 500 req/s, at",
    "least 0.6x of direct as fast as possible, and at most +1 / +5 ms p50 / p99 at 500 req/s: the floors' rows say",
    "how much of that this machine leaves to a gateway's own work.",
  ];
  console.log(lines.join("\n"));
  writeSection("floor", lines);
}

await main();
