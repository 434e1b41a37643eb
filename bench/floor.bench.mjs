// The floor of a Node gateway on this machine (issue 17's targets 1 and 2): what the least a gateway written for Node
// can do per call costs, in the same run as the bedrock-llm gateway and the direct call, all in front of the same
// emulator. Two floors (bench/support/floor-gateway.mjs): a relay that passes the signed Converse call through from
// HTTP/1.1 to one HTTP/2 session, bytes unchanged; and a minimal gateway that takes an OpenAI chat completion, maps
// it to Converse, signs it and maps the reply back, with none of a production gateway's checks, logs or metrics.
// Chat completions JSON and SSE, paced at 500 req/s and as fast as possible; each process's CPU per request. With
// redis-server on the PATH, also the minimal gateway with one Lua script on Redis per request (the least an exact
// shared limit takes) and the bedrock-llm gateway with a virtual key, limits and a budget over the same Redis
// (issue 14's goal: +0.3 ms p50 at 500 req/s over the same gateway without them).
//   npm run bench -- floor       (writes the results into docs/BENCHMARKS.md)
//   BENCH_SECONDS=1 BENCH_ROUNDS=1 BENCH_WARMUP=200 npm run bench -- floor    (a smoke run)
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chatRequest, directRequest, startBedrockLlm, urlOf } from "./support/chat-targets.mjs";
import { startEmulatorProcess } from "./support/emulator-process.mjs";
import { keyedServer } from "./support/keyed-server.mjs";
import { fmt, median, rotatingRounds, saturate, signed, writeSection } from "./support/measure.mjs";
import { startRedis } from "./support/redis-process.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const RATE = 500;
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const KEYED_API_KEY = "sk-bench-virtual-0123456789";
const TARGETS = ["direct", "relay", "minimal", "bedrockLlm"];
const REDIS_TARGETS = ["minimalRedis", "bedrockLlmRedis"];
const LABEL = {
  direct: "direct (no gateway)",
  relay: "floor: relay",
  minimal: "floor: minimal gateway",
  bedrockLlm: "bedrock-llm gateway",
  minimalRedis: "floor: minimal gateway + one Redis script",
  bedrockLlmRedis: "bedrock-llm gateway + key, limits, budget on Redis",
};

/** redis-server, or nothing when it is not installed (the Redis rows are left out then). */
const startRedisIfInstalled = () =>
  startRedis().catch((e) => {
    console.log(`no Redis rows: ${e.message}`);
    return undefined;
  });

const startFloor = (emulatorUrl, mode, redisUrl) =>
  urlOf(
    spawn(
      process.execPath,
      [join(here, "support", "floor-gateway.mjs"), emulatorUrl, mode, ...(redisUrl ? [redisUrl] : [])],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    ),
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

async function main() {
  const loadAtStart = loadavg()[0];
  const emulator = await startEmulatorProcess();
  const redis = await startRedisIfInstalled();
  const names = redis ? [...TARGETS, ...REDIS_TARGETS] : TARGETS;
  const gateways = {};
  try {
    gateways.relay = await startFloor(emulator.url, "relay");
    gateways.minimal = await startFloor(emulator.url, "minimal");
    gateways.bedrockLlm = await startBedrockLlm(emulator.url);
    if (redis) {
      gateways.minimalRedis = await startFloor(emulator.url, "minimal-redis", redis.url);
      gateways.bedrockLlmRedis = await startBedrockLlm(emulator.url, keyedServer(KEYED_API_KEY, { url: redis.url }));
    }
  } catch (e) {
    for (const p of [emulator, redis, ...Object.values(gateways)]) p?.stop();
    throw e;
  }
  const results = [];
  const redisAdds = [];
  try {
    for (const [call, stream] of [
      ["chat completions (JSON)", false],
      ["chat completions (SSE)", true],
    ]) {
      const direct = await directRequest(emulator.url, stream);
      /** The signed call sent to the relay instead, which passes it to the emulator unchanged. */
      const viaRelay = (signed) => ({
        ...signed,
        url: signed.url.replace(new URL(emulator.url).origin, gateways.relay.url),
      });
      const targets = {
        direct,
        relay: viaRelay(direct),
        minimal: chatRequest(gateways.minimal.url, stream),
        bedrockLlm: chatRequest(gateways.bedrockLlm.url, stream),
        ...(redis && {
          minimalRedis: chatRequest(gateways.minimalRedis.url, stream),
          bedrockLlmRedis: chatRequest(gateways.bedrockLlmRedis.url, stream, KEYED_API_KEY),
        }),
      };
      for (const name of names) await check(name, targets[name], stream);
      for (const name of names) await saturate(targets[name], { connections: CONNECTIONS, amount: WARMUP });
      for (const rate of [RATE, "max"]) {
        const runs = await rotatingRounds(names, (name) => targets[name], {
          rate,
          seconds: SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          pidOf: (name) => gateways[name]?.pid,
          // Signed afresh for each measurement: a long run would outlast the signature's 15 minutes.
          before: async (name) => {
            if (name !== "direct" && name !== "relay") return;
            targets.direct = await directRequest(emulator.url, stream);
            targets.relay = viaRelay(targets.direct);
          },
          title: call,
          label: (name) => LABEL[name],
        });
        // Paired within each round (the same minutes of the machine), then the median over the rounds.
        const added = (name, p, base = "direct") => median(runs[name][p].map((v, i) => v - runs[base][p][i]));
        const ofDirect = (name) => median(runs[name].rps.map((v, i) => v / runs.direct.rps[i]));
        if (redis && rate === RATE)
          redisAdds.push({
            call,
            floor: [added("minimalRedis", "p50", "minimal"), added("minimalRedis", "p99", "minimal")],
            bedrockLlm: [added("bedrockLlmRedis", "p50", "bedrockLlm"), added("bedrockLlmRedis", "p99", "bedrockLlm")],
          });
        for (const name of names)
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
    redis?.stop();
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
    ...(redisAdds.length === 0
      ? []
      : [
          "",
          "What Redis adds at 500 req/s, p50 / p99 (ms; each round's difference from the same gateway without Redis, median",
          "over the rounds): the floor's one Lua script per request (INCR on this minute's counter with the official",
          "`redis` client, sent as the request arrives, awaited before the Bedrock call goes out), and bedrock-llm's",
          "virtual key with rpm, tpm and a daily budget plus section rpm and tpm (five counters checked and taken in one",
          "script, then reconciled and charged; `early_send` on, its default). Issue 14's goal: +0.3 ms p50 for bedrock-llm.",
          "",
          "| call | floor + one Redis script | bedrock-llm + key, limits and budget on Redis |",
          "| --- | --- | --- |",
          ...redisAdds.map(
            (r) =>
              `| ${r.call} | ${signed(r.floor[0])} / ${signed(r.floor[1])} | ${signed(r.bedrockLlm[0])} / ${signed(r.bedrockLlm[1])} |`,
          ),
        ]),
  ];
  console.log(lines.join("\n"));
  writeSection("floor", lines);
}

await main();
