// What a call to the emulator leaves for the garbage collector: bytes promoted to the old generation per call and
// the mean young-generation (scavenge) pause, for the same Converse call made five ways, each in a process of its
// own with `--trace-gc-nvp`: Node's HTTP/1.1 client and its HTTP/2 client (the bare transports), the raw SDK over
// each, and the library (its own client: one HTTP/2 session, the lean path). Calls are paced at 500 a second, as in
// the gateway bench. Not a benchmark (no docs section): `node bench/gc-promotion.mjs [CALLS]`, after
// `npx tsc -p tsconfig.build.json`. Read in docs/BENCHMARKS.md ("Where the p99 goes").
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulatorProcess } from "./support/emulator-process.mjs";

const WAYS = ["http1", "http2", "sdk-http1", "sdk-http2", "library"];
const here = fileURLToPath(import.meta.url);
const dist = (p) => pathToFileURL(fileURLToPath(new URL(`../dist/${p}`, import.meta.url))).href;
const CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const START = "MEASURE-START";

if (process.argv[2] === "--way") await measureOne(process.argv[3], process.argv[4], Number(process.argv[5]));
else {
  const calls = Number(process.argv[2] ?? 5000);
  if (!Number.isInteger(calls) || calls < 1) {
    console.error(
      `usage: node bench/gc-promotion.mjs [CALLS]: CALLS must be a whole number above 0, not ${process.argv[2]}`,
    );
    process.exit(2);
  }
  await main(calls);
}

async function main(calls) {
  const emulator = await startEmulatorProcess();
  const rows = [];
  try {
    for (const way of WAYS) {
      const run = spawnSync(process.execPath, ["--trace-gc-nvp", here, "--way", way, emulator.url, String(calls)], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`${way} failed:\n${run.stderr}`);
      rows.push({ way, ...scavenges(run.stdout) });
    }
  } finally {
    emulator.stop();
  }
  console.log(`${calls} Converse calls paced at 500/s after 500 warm-up calls; Node ${process.version}`);
  console.log("| way | scavenges | promoted per call | mean scavenge pause |");
  console.log("| --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.way} | ${r.count} | ${(r.promoted / calls / 1024).toFixed(1)} KB | ${r.meanPause.toFixed(2)} ms |`,
    );
  }
}

/** Sums the scavenges V8 reported after the measured part began. */
function scavenges(output) {
  const lines = output.slice(output.indexOf(START)).split("\n");
  let count = 0;
  let promoted = 0;
  let pause = 0;
  for (const line of lines) {
    if (!line.includes("gc=s ")) continue;
    count++;
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    pause += Number(/ pause=([\d.]+)/.exec(line)?.[1] ?? 0);
  }
  return { count, promoted, meanPause: count ? pause / count : 0 };
}

async function measureOne(way, url, calls) {
  const call = await caller(way, url);
  for (let i = 0; i < 500; i++) await call();
  console.log(START);
  // Paced like the gateway bench's load: one call every 2 ms, whatever is in flight.
  let open = 0;
  let sent = false;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const wait = start + i * 2 - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    open++;
    call().then(() => {
      if (--open === 0 && sent) done();
    });
  }
  sent = true;
  if (open === 0) done();
  await finished;
  process.exit(0);
}

async function caller(way, url) {
  const converse = {
    modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    messages: [{ role: "user", content: [{ text: "hello" }] }],
    inferenceConfig: { maxTokens: 64 },
  };
  const body = JSON.stringify({ messages: converse.messages, inferenceConfig: converse.inferenceConfig });
  const path = `/model/${converse.modelId}/converse`;
  if (way === "http1") {
    const { Agent, request } = await import("node:http");
    const agent = new Agent({ keepAlive: true });
    return () =>
      new Promise((resolve) => {
        const req = request(`${url}${path}`, { method: "POST", agent }, (res) => {
          res.resume();
          res.on("end", resolve);
        });
        req.on("error", resolve);
        req.end(body);
      });
  }
  if (way === "http2") {
    const { connect } = await import("node:http2");
    const session = connect(url);
    return () =>
      new Promise((resolve) => {
        const stream = session.request({ ":method": "POST", ":path": path });
        stream.on("data", () => {});
        stream.on("end", resolve);
        stream.on("error", resolve);
        stream.end(body);
      });
  }
  if (way === "sdk-http1" || way === "sdk-http2") {
    const { BedrockRuntimeClient, ConverseCommand } = await import("@aws-sdk/client-bedrock-runtime");
    const { NodeHttp2Handler, NodeHttpHandler } = await import("@smithy/node-http-handler");
    const { Agent } = await import("node:http");
    const requestHandler =
      way === "sdk-http1"
        ? new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) })
        : new NodeHttp2Handler({ disableConcurrentStreams: false, maxConcurrentStreams: 100 });
    const client = new BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: url,
      credentials: CREDENTIALS,
      requestHandler,
      maxAttempts: 1,
    });
    return () => client.send(new ConverseCommand(converse), { abortSignal: new AbortController().signal });
  }
  if (way === "library") {
    const { configFromObject, LLM } = await import(dist("index.js"));
    const config = configFromObject(
      {
        llm: {
          model: `bedrock/${converse.modelId}`,
          aws_region_name: "us-east-1",
          aws_access_key_id: CREDENTIALS.accessKeyId,
          aws_secret_access_key: CREDENTIALS.secretAccessKey,
          aws_bedrock_runtime_endpoint: url,
          num_retries: 0,
        },
      },
      { env: {} },
    );
    const llm = new LLM(config.llm, { onWarning: () => {} });
    const request = { messages: [{ role: "user", content: "hello" }], max_tokens: 64 };
    return () => llm.completion(request, { signal: new AbortController().signal });
  }
  throw new Error(`unknown way ${way}; one of ${WAYS.join(", ")}`);
}
