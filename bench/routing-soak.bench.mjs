// Routing soak: 2,000 calls (half completions, half streams, 16 at a time) over two regions of the emulator (its
// own process), where one region throttles half of its calls and connections are reset at random: before the
// response, and in streams after their first content. Two set-ups: the regions as deployments of one section
// (cooldowns, stream recovery), and one region falling back to the other. Every call must succeed; the figures
// (fallbacks, cooldowns, retries, stream recoveries, faults injected, p50/p99 latency) go to docs/RELIABILITY.md.
//   npm run bench -- routing          (builds first)      SOAK_CALLS=2000, SOAK_CONCURRENCY=16 by default
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulatorProcess } from "./support/emulator-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path) => pathToFileURL(join(root, "dist", path)).href;
const { LLM, configFromObject } = await import(dist("index.js"));

const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const MODEL = "bedrock/anthropic.claude-3-haiku-20240307-v1:0";
const CALLS = Number(process.env.SOAK_CALLS ?? 2000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 16);
const EAST = "us-east-1";
const WEST = "us-west-2";
/** Chance that a call's connection is reset before the response, and that a stream's is reset after content. */
const RESET = 0.02;
const THROTTLE = 0.5;
const FOREVER = 1_000_000_000;

async function controlCall(url, method, path, body) {
  const response = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The faults: mid-stream resets first (a rule takes a call only when its draw hits), then resets, then throttling. */
const FAULTS = [
  { operation: "ConverseStream", connection: "reset", afterEvents: 2, probability: RESET, count: FOREVER },
  { operation: "*", connection: "reset", probability: RESET, count: FOREVER },
  { operation: "*", region: WEST, error: "ThrottlingException", probability: THROTTLE, count: FOREVER },
];

const COMMON = {
  model: MODEL,
  aws_region_name: EAST,
  aws_access_key_id: ACCESS_KEY,
  aws_secret_access_key: SECRET_KEY,
  retry_min_wait: 0.05,
  retry_max_wait: 0.5,
  retry_multiplier: 2,
};

const SCENARIOS = [
  {
    name: "deployments",
    title: "Two regions as deployments of one section (least in flight, cooldowns, stream recovery)",
    config: (url) => ({
      ...COMMON,
      aws_bedrock_runtime_endpoint: url,
      num_retries: 6,
      deployments: ["east", "west"],
      stream_recovery: true,
      cooldown_seconds: 1,
      cooldown_max_seconds: 8,
      east: { aws_region_name: EAST },
      west: { aws_region_name: WEST },
    }),
    settings:
      "`deployments = [east, west]`, `num_retries = 6`, `cooldown_seconds = 1`, `cooldown_max_seconds = 8`, `stream_recovery = true`",
  },
  {
    name: "fallbacks",
    title: "The throttling region first, falling back to the other (a broken stream goes on where it was)",
    config: (url) => ({
      ...COMMON,
      aws_bedrock_runtime_endpoint: url,
      aws_region_name: WEST,
      num_retries: 1,
      fallbacks: ["east"],
      stream_recovery: true,
      east: { aws_region_name: EAST, num_retries: 6 },
    }),
    settings:
      "[llm] in us-west-2 with `num_retries = 1`, `fallbacks = [east]` and `stream_recovery = true`; [llm.east] `num_retries = 6`",
  },
];

const ASK = (i) => ({
  messages: [{ role: "user", content: `soak call ${i}: one two three four five six seven eight nine ten eleven` }],
  max_tokens: 64,
});

const ECHO = (i) => `Echo: ${ASK(i).messages[0].content.split(" ").slice(0, 12).join(" ")}`;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runScenario(emulator, scenario) {
  await controlCall(emulator.url, "POST", "reset", {});
  for (const fault of FAULTS) await controlCall(emulator.url, "POST", "faults", fault);
  const config = configFromObject({ llm: scenario.config(emulator.url) }, { env: {} });
  const llm = new LLM(config.llm, { onWarning: () => {} });
  const latencies = [];
  const failures = new Map();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < CALLS; i = next++) {
      const t0 = performance.now();
      try {
        if (i % 2 === 0) {
          const response = await llm.completion(ASK(i));
          if (!response.choices[0]?.message.content) throw new Error("empty completion");
        } else {
          let text = "";
          for await (const chunk of llm.stream(ASK(i))) text += chunk.choices[0]?.delta.content ?? "";
          // The emulator echoes the first 12 words: a stream recovered elsewhere must come out whole.
          if (text !== ECHO(i)) throw new Error(`stream text ${JSON.stringify(text)}`);
        }
        latencies.push(performance.now() - t0);
      } catch (error) {
        const key = `${error.name}: ${String(error.message).slice(0, 160)}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const remaining = (await controlCall(emulator.url, "GET", "faults")).faults;
  const used = (index) => FOREVER - (remaining[index]?.count ?? FOREVER);
  const metrics = llm.metrics;
  latencies.sort((a, b) => a - b);
  const served = Object.fromEntries(Object.entries(metrics.routing).map(([section, c]) => [section, c.served]));
  const result = {
    ...scenario,
    calls: CALLS,
    succeeded: latencies.length,
    failures,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    retries: metrics.retries,
    fallbacks: metrics.fallbacks,
    cooldowns: metrics.cooldowns,
    recoveries: metrics.stream_recoveries,
    served,
    injected: { midStreamResets: used(0), resets: used(1), throttles: used(2) },
  };
  console.log(
    `${scenario.name}: ${result.succeeded}/${CALLS} succeeded in ${seconds.toFixed(1)} s; ` +
      `p50 ${result.p50?.toFixed(1)} ms, p99 ${result.p99?.toFixed(1)} ms; retries ${result.retries}, ` +
      `fallbacks ${result.fallbacks}, cooldowns ${result.cooldowns}, stream recoveries ${result.recoveries}; ` +
      `served ${JSON.stringify(served)}; injected ${JSON.stringify(result.injected)}`,
  );
  for (const [failure, count] of failures) console.log(`  FAILED x${count}: ${failure}`);
  return result;
}

function writeResults(results) {
  const file = join(root, "docs", "RELIABILITY.md");
  const servedText = (served) =>
    Object.entries(served)
      .map(([section, count]) => `${section} ${count}`)
      .join(", ");
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.succeeded} / ${r.calls} | ${r.injected.throttles} | ${r.injected.resets} | ${r.injected.midStreamResets} | ${r.retries} | ${r.fallbacks} | ${r.cooldowns} | ${r.recoveries} | ${servedText(r.served)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.seconds.toFixed(1)} s |`,
  );
  const block = [
    "<!-- routing-soak:start -->",
    "## Soak: two regions, one throttling half the time, connections reset at random",
    "",
    `${CALLS} calls per set-up (even ones \`completion\`, odd ones \`stream\`, read to the end), ${CONCURRENCY} at a time, on`,
    `Claude 3 Haiku in the emulator (its own process). Faults, applied by the emulator to every call: a connection`,
    `reset before the response (${RESET * 100}% of calls), a reset of a stream's connection after its first content`,
    `(${RESET * 100}% of streams), and in ${WEST} a ThrottlingException for ${THROTTLE * 100}% of the calls. A reset cuts`,
    "the whole HTTP/2 connection, so every call in flight on it fails at once. Back-off: `retry_min_wait = 0.05`,",
    "`retry_max_wait = 0.5`, `retry_multiplier = 2` (seconds, waited for real).",
    "",
    ...results.map((r) => `- **${r.name}**: ${r.title}; ${r.settings}.`),
    "",
    "| set-up | succeeded | throttles injected | resets injected | mid-stream resets | retries | fallbacks | cooldowns | stream recoveries | served by | p50 | p99 | wall time |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Retries count every attempt after a call's first on a section (waits after a failure, and moves to another",
    "deployment at once); fallbacks count calls that left a section for the next; the latencies are per call,",
    "retries and waits included.",
    ...results
      .filter((r) => r.failures.size > 0)
      .map((r) => `\n**${r.name}: ${r.calls - r.succeeded} calls failed**: ${[...r.failures.keys()].join("; ")}`),
    "",
    `Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}. Reproduce: \`npm run bench -- routing\``,
    "(`SOAK_CALLS=N`, `SOAK_CONCURRENCY=N` to change the load).",
    "<!-- routing-soak:end -->",
  ].join("\n");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Reliability\n";
  const start = text.indexOf("<!-- routing-soak:start -->");
  const end = text.indexOf("<!-- routing-soak:end -->");
  const updated =
    start < 0 || end < 0
      ? `${text.trimEnd()}\n\n${block}\n`
      : text.slice(0, start) + block + text.slice(end + "<!-- routing-soak:end -->".length);
  writeFileSync(file, updated);
}

async function main() {
  const emulator = await startEmulatorProcess();
  try {
    const results = [];
    for (const scenario of SCENARIOS) results.push(await runScenario(emulator, scenario));
    writeResults(results);
    if (results.some((r) => r.succeeded !== r.calls)) process.exitCode = 1;
  } finally {
    emulator.stop();
  }
}

await main();
