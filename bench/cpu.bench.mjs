// CPU per call of the client process: llm.completion / llm.stream on the LLM's own client against the raw AWS SDK
// (a BedrockRuntimeClient sharing one HTTP/2 session, each call with its abort signal), and optionally against the
// LLM of another checkout (BENCH_BASE=<checkout with dist/ built>). All sides run in this process in front of one
// emulator (its own process), 10 calls in flight, in alternating batches; CPU time is process.cpuUsage() over each
// side's batches. CPU time, unlike wall time, is what a side costs even when the machine is busy with other work.
//   npm run bench -- cpu          (builds first)     BENCH_BATCHES=20 batches of 200 calls per side by default
//   BENCH_BASE=/tmp/gw-base npm run bench -- cpu
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttp2Handler } from "@smithy/node-http-handler";
import { startEmulatorProcess } from "./support/emulator-process.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path, from = root) => pathToFileURL(join(from, "dist", path)).href;
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const BATCH = 200;
const IN_FLIGHT = 10;
const WARMUP = 3000;

async function llmFrom(checkout, url) {
  const { LLM, configFromObject } = await import(dist("index.js", checkout));
  const llm = {
    model: `bedrock/${MODEL_ID}`,
    aws_region_name: "us-east-1",
    aws_access_key_id: ACCESS_KEY,
    aws_secret_access_key: SECRET_KEY,
    aws_bedrock_runtime_endpoint: url,
    num_retries: 0,
  };
  return new LLM(configFromObject({ llm }, { env: {} }).llm, { onWarning: () => {} });
}

/** A chat request as the gateway makes one: a short conversation, with the caller's abort signal. */
const request = () => ({
  messages: [{ role: "user", content: "hello" }],
  max_tokens: 64,
  signal: new AbortController().signal,
});
const converseInput = () => ({
  modelId: MODEL_ID,
  messages: [{ role: "user", content: [{ text: "hello" }] }],
  inferenceConfig: { maxTokens: 64 },
});

function sides(llms, raw) {
  const sdk = {
    completion: () => raw.send(new ConverseCommand(converseInput()), { abortSignal: new AbortController().signal }),
    stream: async () => {
      const out = await raw.send(new ConverseStreamCommand(converseInput()), {
        abortSignal: new AbortController().signal,
        isEventStream: false, // on the shared session, as the LLM sends it
      });
      for await (const _ of out.stream);
    },
  };
  const facade = (llm) => ({
    completion: () => llm.completion(request()),
    stream: async () => {
      for await (const _ of llm.stream(request()));
    },
  });
  return { "raw SDK": sdk, ...Object.fromEntries(Object.entries(llms).map(([name, llm]) => [name, facade(llm)])) };
}

async function calls(run, count) {
  let started = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (started++ < count) await run();
    }),
  );
}

async function measure(all, kind) {
  const names = Object.keys(all);
  for (const name of names) await calls(all[name][kind], WARMUP);
  const cpu = Object.fromEntries(names.map((n) => [n, 0]));
  for (let b = 0; b < BATCHES; b++) {
    const order = b % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const before = process.cpuUsage();
      await calls(all[name][kind], BATCH);
      const used = process.cpuUsage(before);
      cpu[name] += (used.user + used.system) / 1000;
    }
  }
  return Object.fromEntries(names.map((n) => [n, cpu[n] / (BATCHES * BATCH)]));
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0];

async function main() {
  const loadBefore = loadAverage();
  const emulator = await startEmulatorProcess();
  try {
    const llms = { "bedrock-llm (this checkout)": await llmFrom(root, emulator.url) };
    if (process.env.BENCH_BASE) llms[`bedrock-llm (base)`] = await llmFrom(process.env.BENCH_BASE, emulator.url);
    const raw = new BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      maxAttempts: 1,
      // One shared HTTP/2 session, as the LLM's client has (the SDK's default opens one per call).
      requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: false }),
    });
    const all = sides(llms, raw);
    const results = { completion: await measure(all, "completion"), stream: await measure(all, "stream") };
    raw.destroy();
    for (const [kind, row] of Object.entries(results)) {
      for (const [name, ms] of Object.entries(row)) console.log(`${kind}: ${name} ${ms.toFixed(3)} ms CPU per call`);
    }
    write(results, Object.keys(all), loadBefore);
  } finally {
    emulator.stop();
  }
}

function write(results, names, loadBefore) {
  const base = process.env.BENCH_BASE;
  const cell = (kind, name) => {
    const ms = results[kind][name];
    return `${ms.toFixed(3)} ms (${(ms / results[kind]["raw SDK"]).toFixed(2)}x)`;
  };
  const lines = [
    "## CPU per call: the LLM facade on its own client",
    "",
    "CPU time of the calling process per call (process.cpuUsage(), user + system), 10 calls in flight against the",
    "emulator (its own process): `llm.completion` / `llm.stream` on the client the LLM makes itself, as the gateway",
    "uses it, against the raw SDK's `ConverseCommand` / `ConverseStreamCommand` on a BedrockRuntimeClient with one",
    "shared HTTP/2 session like the LLM's, each call with its AbortController's signal as an application sends it" +
      (base ? `, and the LLM of another checkout (${process.env.BENCH_BASE_LABEL ?? base}).` : "."),
    `${BATCHES} batches of ${BATCH} calls per side after ${WARMUP} warm-up calls, in alternating order; ratios to the raw SDK`,
    "in brackets. CPU time is what a side costs whatever else the machine runs, so these figures hold on a busy",
    `machine where wall-clock ratios do not. Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average`,
    `${loadBefore} before, ${loadAverage()} after (2 cores). Reproduce: \`npm run bench -- cpu\`` +
      " (`BENCH_BASE=<checkout with dist/ built>` adds that checkout's LLM).",
    "",
    `| call | ${names.join(" | ")} |`,
    `| --- | ${names.map(() => "---").join(" | ")} |`,
    `| completion (Converse) | ${names.map((n) => cell("completion", n)).join(" | ")} |`,
    `| stream (ConverseStream, all events) | ${names.map((n) => cell("stream", n)).join(" | ")} |`,
  ];
  const file = join(root, "docs/BENCHMARKS.md");
  const text = readFileSync(file, "utf8");
  const start = "<!-- cpu:start -->";
  const end = "<!-- cpu:end -->";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error("docs/BENCHMARKS.md lacks the cpu markers");
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${lines.join("\n")}\n${text.slice(to)}`);
}

await main();
