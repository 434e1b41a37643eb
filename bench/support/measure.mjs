// What the HTTP benchmarks share: paced open-loop load, percentiles and medians, a process's CPU time, and writing
// a marked section of docs/BENCHMARKS.md.
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const benchmarksDoc = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "BENCHMARKS.md");

/** The p-th percentile (0-100) of ascending `sorted`; NaN when empty. */
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** The median of the finite values. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Open-loop load at an even pace: one POST of `target` ({url, headers, body}) every 1000/rate ms for `seconds`,
 * whatever the answers do (autocannon's overallRate sends each connection's quota in a burst at the start of every
 * second, which measures queueing, not latency). Latencies of the 200 answers; everything else counts as an error.
 */
export async function paced(target, rate, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const times = [];
  let errors = 0;
  const one = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = httpRequest(target.url, { method: "POST", headers: target.headers, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) times.push(performance.now() - started);
          else errors++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(target.body);
    });
  const pending = [];
  const interval = 1000 / rate;
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(one());
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rps: times.length / elapsed, errors };
}

/** User + system CPU time of a process so far, ms (from /proc; clock ticks are 10 ms on Linux). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Replaces what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->` in docs/BENCHMARKS.md. */
export function writeSection(name, lines) {
  const text = readFileSync(benchmarksDoc, "utf8");
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`docs/BENCHMARKS.md lacks the ${name} markers`);
  writeFileSync(benchmarksDoc, `${text.slice(0, from + start.length)}\n${lines.join("\n")}\n${text.slice(to)}`);
}

/**
 * autocannon at `connections` connections: as fast as the target answers for `seconds` (or `amount` requests, for
 * a warm-up), or at `rate` requests a second overall. Latencies of the 200s, sorted percentiles.
 */
export async function saturate(target, { connections = 10, seconds, amount, rate } = {}) {
  const times = [];
  let errors = 0;
  const instance = autocannon({
    url: target.url,
    method: "POST",
    headers: target.headers,
    body: target.body,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
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
    total: result.requests.total,
    errors: errors + result.errors + result.timeouts,
  };
}

/** A process's resident memory now, MB (from /proc). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** A figure for a table: `digits` decimals, or "n/a". */
export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

/** A difference for a table: signed, 2 decimals, or "n/a". */
export const signed = (n) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(2)}` : "n/a");

/**
 * Measures each of `names` in `rounds` rounds, the order rotating each round so that no target always runs first:
 * paced at `rate` req/s for `seconds`, or with rate "max" autocannon at `connections` for `seconds`. Per name, each
 * round's p50, p99, req/s and CPU per request of its process (`pidOf(name)`, NaN without one), and its errors.
 * `before(name)` runs ahead of each measurement (to sign a request afresh); `title` and `label(name)` name the
 * progress lines.
 */
export async function rotatingRounds(
  names,
  targetOf,
  { rate, seconds, rounds, connections, pidOf, before, title, label },
) {
  const runs = Object.fromEntries(names.map((n) => [n, { p50: [], p99: [], rps: [], cpu: [], errors: 0 }]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names.map((_, i) => names[(i + round) % names.length])) {
      await before?.(name);
      const pid = pidOf(name);
      const cpuBefore = pid ? cpuMs(pid) : 0;
      const r =
        rate === "max"
          ? await saturate(targetOf(name), { connections, seconds })
          : await paced(targetOf(name), rate, seconds);
      const run = runs[name];
      run.p50.push(r.p50);
      run.p99.push(r.p99);
      run.rps.push(r.rps);
      run.cpu.push(pid ? (cpuMs(pid) - cpuBefore) / (rate === "max" ? r.total : rate * seconds) : Number.NaN);
      run.errors += r.errors;
      console.log(
        `${title} ${rate === "max" ? "max" : `${rate} req/s`} round ${round + 1}/${rounds} ${label(name)}: ` +
          `p50 ${fmt(r.p50)} / p99 ${fmt(r.p99)} ms, ${fmt(r.rps, 0)} req/s, ${r.errors} errors` +
          (pid ? `, CPU ${fmt(run.cpu.at(-1), 3)} ms per request` : ""),
      );
    }
  }
  return runs;
}
