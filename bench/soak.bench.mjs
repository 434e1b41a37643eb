// Soak: library and gateway calls (half streamed) against the emulator with ~20% injected faults of every kind it
// has, counting first-try successes, successes after retries, typed errors by kind, untyped errors, hung calls,
// truncated streams and unhandled rejections, with RSS before and after; then a slow-client run against the gateway
// (slowloris: headers trickled) and 500 idle keep-alive connections, with the server's timeouts. Writes its figures
// into docs/RELIABILITY.md between <!-- soak:start --> and <!-- soak:end -->.
//   npm run bench -- soak                 (SOAK_CALLS=200 for a short run; default 2000 of each)
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import OpenAI from "openai";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path) => pathToFileURL(join(root, "dist", path)).href;
const { configFromObject } = await import(dist("config/index.js"));
const { startEmulator, BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } = await import(dist("emulator/index.js"));
const { createGatewayApp, createGatewayContext, startGateway, SERVER_TIMEOUTS } = await import(
  dist("gateway/index.js")
);
const { BedrockLLMError } = await import(dist("errors.js"));
const { LLM } = await import(dist("llm/index.js"));
const { getRequestListener } = await import("@hono/node-server");

const CALLS = Number(process.env.SOAK_CALLS ?? 2000);
const CONCURRENCY = 8;
const FAULT_RATE = 0.2;
const CALL_TIMEOUT_S = 2;
/** A call not settled by then counts as hung (and is abandoned). */
const HUNG_MS = 30_000;
const API_KEY = "sk-soak";
const messages = [{ role: "user", content: "Tell me about rivers." }];

let unhandled = 0;
process.on("unhandledRejection", () => unhandled++);

// Seeded, so two runs inject the same faults in the same order.
let seed = 20261128;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(random() * list.length)];

/** Every error and stall fault the emulator can inject, for the operation a call will use (connection resets are the routing soak's: bench/routing-soak.bench.mjs). */
function faultFor(streamed) {
  const operation = streamed ? "ConverseStream" : "Converse";
  const count = pick([1, 1, 1, 3]); // 3 outlasts num_retries = 2: the error reaches the caller
  const kinds = [
    { error: "ThrottlingException" },
    { error: "InternalServerException" },
    { error: "ServiceUnavailableException" },
    { error: "ModelNotReadyException" },
    { error: "ModelTimeoutException" },
    { delayMs: CALL_TIMEOUT_S * 1000 * 1.5 }, // a stall past the call's timeout
  ];
  if (streamed) {
    kinds.push(
      { error: "ModelStreamErrorException", afterEvents: Math.floor(random() * 6) },
      { error: "ThrottlingException", afterEvents: Math.floor(random() * 6) },
      { error: "InternalServerException", afterEvents: Math.floor(random() * 6) },
    );
  }
  const kind = pick(kinds);
  return {
    operation,
    count,
    ...kind,
    label: `${kind.error ?? "stall"}${kind.afterEvents !== undefined ? " mid-stream" : ""}`,
  };
}

function emptyTally() {
  return {
    calls: 0,
    firstTry: 0,
    afterRetries: 0,
    typed: {},
    untyped: 0,
    untypedSamples: [],
    hung: 0,
    truncated: 0,
    faults: {},
  };
}

async function withWatchdog(promise) {
  let timer;
  const hung = new Promise((resolve) => {
    timer = setTimeout(() => resolve("hung"), HUNG_MS);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(total, tally, injectFault, call) {
  let next = 0;
  async function worker() {
    while (next < total) {
      const i = next++;
      const streamed = i % 2 === 1;
      if (random() < FAULT_RATE) {
        const fault = faultFor(streamed);
        tally.faults[fault.label] = (tally.faults[fault.label] ?? 0) + 1;
        await injectFault(fault);
      }
      tally.calls++;
      const outcome = await withWatchdog(
        call(streamed).then(
          (r) => r,
          (error) => ({ error }),
        ),
      );
      if (outcome === "hung") tally.hung++;
      else if (outcome.error) classify(tally, outcome.error);
      else if (outcome.truncated) tally.truncated++;
      else if (outcome.retries > 0) tally.afterRetries++;
      else tally.firstTry++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function classify(tally, error) {
  let kind;
  if (error instanceof BedrockLLMError) kind = error.code;
  else if (error instanceof OpenAI.APIError && error.status !== undefined && error.status !== 500) {
    kind = `${error.status} ${error.code ?? error.type ?? ""}`.trim();
  } else if (error instanceof OpenAI.APIError && error.status === undefined && error.error) {
    kind = `in-stream ${error.error.code ?? error.error.type ?? "error"}`; // the SSE in-band error event
  }
  if (kind) tally.typed[kind] = (tally.typed[kind] ?? 0) + 1;
  else {
    tally.untyped++;
    if (tally.untypedSamples.length < 5) tally.untypedSamples.push(String(error?.stack ?? error).slice(0, 300));
  }
}

function configFor(emulatorUrl) {
  return configFromObject(
    {
      llm: {
        model: "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0",
        cross_region_target: "us",
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: emulatorUrl,
        num_retries: 2,
        retry_min_wait: 0.01,
        retry_max_wait: 0.05,
        timeout: CALL_TIMEOUT_S,
      },
      server: { api_keys: [API_KEY], max_concurrency: 64 },
    },
    { env: {} },
  );
}

const mb = (bytes) => Math.round(bytes / 1024 / 1024);
const gc = () => globalThis.gc?.();

// ---- calls under faults
const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
const injectFault = async ({ label: _label, ...rule }) => {
  const res = await fetch(`${emulator.url}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  if (!res.ok) throw new Error(`fault: ${res.status} ${await res.text()}`);
};
const config = configFor(emulator.url);
gc();
const rssBefore = process.memoryUsage().rss;

// Library: one LLM, its per-call records say how many retries each successful call took.
const library = emptyTally();
const llm = new LLM(config.llm);
const started = performance.now();
await run(CALLS, library, injectFault, async (streamed) => {
  const before = llm.metrics.calls.length;
  if (!streamed) {
    const reply = await llm.completion({ messages });
    return { retries: retriesOfLast(llm, before), truncated: !reply.choices[0]?.finish_reason };
  }
  let finish = null;
  for await (const chunk of llm.stream({ messages })) finish = chunk.choices[0]?.finish_reason ?? finish;
  return { retries: retriesOfLast(llm, before), truncated: !finish };
});
const librarySeconds = (performance.now() - started) / 1000;

/** Retries of the call that just succeeded (the newest record; concurrent calls may add theirs, so the max). */
function retriesOfLast(instance, before) {
  const records = instance.metrics.calls.slice(before);
  return records.length > 0 ? Math.max(...records.map((r) => r.retries)) : 0;
}

// Gateway: served here (the app of startGateway, on Node's server with its timeouts) so its LLMs' records are
// readable; the openai client with retries off, so what is counted is the gateway's own doing.
await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
const gatewayTally = emptyTally();
const ctx = createGatewayContext(config, { accessLog: false });
ctx.operatorLog = () => {};
const server = createServer(SERVER_TIMEOUTS, getRequestListener(createGatewayApp(ctx).fetch));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const gatewayUrl = `http://127.0.0.1:${server.address().port}`;
const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: API_KEY, maxRetries: 0, timeout: HUNG_MS });
const gatewayLlm = () => ctx.router.instances()[0];
const gatewayStarted = performance.now();
await run(CALLS, gatewayTally, injectFault, async (streamed) => {
  const before = gatewayLlm().metrics.calls.length;
  if (!streamed) {
    const reply = await client.chat.completions.create({ model: "default", messages });
    return { retries: retriesOfLast(gatewayLlm(), before), truncated: !reply.choices[0]?.finish_reason };
  }
  let finish = null;
  const stream = await client.chat.completions.create({ model: "default", messages, stream: true });
  for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
  return { retries: retriesOfLast(gatewayLlm(), before), truncated: !finish };
});
const gatewaySeconds = (performance.now() - gatewayStarted) / 1000;
server.closeAllConnections();
await new Promise((resolve) => server.close(resolve));
gc();
const rssAfter = process.memoryUsage().rss;

// ---- slow clients and idle connections, against startGateway with its default timeouts
const gateway = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog: false });
const { port } = new URL(gateway.url);

/** Slowloris: connections that send a request line and then one header byte a second, never finishing. */
async function slowloris(count) {
  const t0 = performance.now();
  const closedAt = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve) => {
          const socket = connect(Number(port), "127.0.0.1");
          let answer = "";
          socket.on("data", (d) => {
            answer += d.toString();
          });
          socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
          const trickle = setInterval(() => socket.write("X"), 1000);
          socket.on("close", () => {
            clearInterval(trickle);
            resolve({ seconds: (performance.now() - t0) / 1000, status: answer.split(" ")[1] ?? "none" });
          });
          socket.on("error", () => {});
        }),
    ),
  );
  const seconds = closedAt.map((c) => c.seconds).sort((a, b) => a - b);
  const statuses = [...new Set(closedAt.map((c) => c.status))].join(", ");
  return { count, first: seconds[0], last: seconds.at(-1), statuses };
}

/** Idle keep-alive connections: each makes one request, then stays open; the gateway must still serve others. */
async function idle(count) {
  const sockets = [];
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const socket = connect(Number(port), "127.0.0.1");
          socket.once("data", () => resolve());
          socket.on("error", reject);
          socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
          sockets.push(socket);
        }),
    ),
  );
  gc();
  const rss = process.memoryUsage().rss;
  const latencies = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await new Promise((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/healthz`, { agent: false }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  const open = sockets.filter((s) => !s.destroyed && s.readyState === "open").length;
  for (const s of sockets) s.destroy();
  return { count, open, rss, p50: latencies[24], p99: latencies[49] };
}

gc();
const rssIdleBefore = process.memoryUsage().rss;
const idleResult = await idle(500);
const slow = await slowloris(50);
await gateway.close();
await emulator.close();

// ---- report
const fmt = (tally) => {
  const typed = Object.entries(tally.typed)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const faults = Object.entries(tally.faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return { typed: typed || "none", faults };
};
const lib = fmt(library);
const gw = fmt(gatewayTally);
const row = (name, t, seconds, f) =>
  `| ${name} | ${t.calls} | ${t.firstTry} | ${t.afterRetries} | ${f.typed} | ${t.untyped} | ${t.hung} | ${t.truncated} | ${seconds.toFixed(1)} s |`;
const section = `<!-- soak:start -->
## Soak under injected faults

\`npm run bench -- soak\` (bench/soak.bench.mjs; \`SOAK_CALLS=200\` for a short run). ${CALLS} library calls and
${CALLS} gateway calls (the \`openai\` client, retries off), half of each streamed, ${CONCURRENCY} at a time, against the
emulator, with a fault injected before ~${FAULT_RATE * 100}% of the calls (seeded). The faults are every kind the emulator
has: throttling, 500 and 503, model not ready, model timeout, exception frames after 0..5 stream events, and stalls
past the call's timeout (${CALL_TIMEOUT_S} s); each fault hits 1 call, or 3 in a row (one more than \`num_retries = 2\`) a quarter
of the time, so some reach the caller. Connection resets are not injected here (this soak was written before the emulator had them); the routing soak injects them. A call not
settled within ${HUNG_MS / 1000} s would count as hung; a successful reply or stream without a finish reason as truncated.
Node ${process.version}, ${process.platform}/${process.arch}, a machine shared with other work (times are indicative).

| run | calls | first-try successes | successes after retries | typed errors by kind | untyped | hung | truncated streams | time |
|---|---|---|---|---|---|---|---|---|
${row("library", library, librarySeconds, lib)}
${row("gateway", gatewayTally, gatewaySeconds, gw)}

Faults injected: library ${lib.faults}; gateway ${gw.faults}.
Unhandled rejections: ${unhandled}. RSS before ${mb(rssBefore)} MB, after both runs (after GC) ${mb(rssAfter)} MB
(the emulator runs in the same process and keeps its last 10,000 requests, bodies included; each LLM keeps its
latest call records).
${library.untypedSamples.length + gatewayTally.untypedSamples.length > 0 ? `\nUntyped samples:\n\n\`\`\`\n${[...library.untypedSamples, ...gatewayTally.untypedSamples].join("\n")}\n\`\`\`\n` : ""}
## Slow clients and idle connections

The gateway's Node server timeouts (\`SERVER_TIMEOUTS\` in src/gateway/index.ts; \`timeouts\` in startGateway's options):
headersTimeout ${SERVER_TIMEOUTS.headersTimeout / 1000} s (all headers of a request), requestTimeout ${SERVER_TIMEOUTS.requestTimeout / 1000} s
(the whole request, body included; a streamed answer is not bound by it), keepAliveTimeout ${SERVER_TIMEOUTS.keepAliveTimeout / 1000} s (longer than the usual
load balancer's 60 s idle timeout), checked every ${SERVER_TIMEOUTS.connectionsCheckingInterval / 1000} s.

- Slowloris: ${slow.count} connections sending a request line, then one header byte a second, never finishing: the
  gateway closed them between ${slow.first.toFixed(1)} s and ${slow.last.toFixed(1)} s (answer: ${slow.statuses}; Node answers 408 when headersTimeout ends a request).
- Idle keep-alive: ${idleResult.count} connections, each after one /healthz, left open: ${idleResult.open} still open while
  50 new /healthz requests were served (p50 ${idleResult.p50.toFixed(1)} ms, p99 ${idleResult.p99.toFixed(1)} ms); RSS ${mb(rssIdleBefore)} MB before them,
  ${mb(idleResult.rss)} MB with them open. They close after keepAliveTimeout, or at shutdown.
<!-- soak:end -->`;

console.log(section);
const docPath = join(root, "docs/RELIABILITY.md");
let doc;
try {
  doc = readFileSync(docPath, "utf8");
} catch {
  doc = "# Reliability\n\n<!-- soak:start -->\n<!-- soak:end -->\n";
}
const start = doc.indexOf("<!-- soak:start -->");
const end = doc.indexOf("<!-- soak:end -->");
doc =
  start >= 0 && end > start
    ? doc.slice(0, start) + section + doc.slice(end + "<!-- soak:end -->".length)
    : `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(docPath, doc);
const failed = library.untyped + gatewayTally.untyped + library.hung + gatewayTally.hung + unhandled;
const truncated = library.truncated + gatewayTally.truncated;
process.exit(failed + truncated > 0 ? 1 : 0);
