/**
 * Prometheus metrics of the gateway, kept as plain counters (no client library: a handful of series, rendered
 * in the text exposition format on GET /metrics).
 */
import type { CompletionUsage } from "../llm/types.js";

const PREFIX = "bedrock_llm_gateway";
/** Request latency buckets, seconds: from loopback-fast to long streamed replies. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export class GatewayMetrics {
  private readonly requests = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly tokens = { input: 0, output: 0, cache_read: 0, cache_write: 0 };
  private cost = 0;
  private readonly bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private latencySum = 0;
  private latencyCount = 0;

  recordRequest(status: number, latencyMs: number): void {
    const key = String(status);
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const seconds = latencyMs / 1000;
    this.latencySum += seconds;
    this.latencyCount++;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= (BUCKETS[i] as number)) {
        this.bucketCounts[i] = (this.bucketCounts[i] as number) + 1;
        break;
      }
    }
  }

  recordError(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  recordUsage(usage: CompletionUsage | null | undefined, cost: number | undefined): void {
    if (usage) {
      const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
      const written = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
      // prompt_tokens includes cache reads and writes; "input" here is the uncached part, so kinds add up.
      this.tokens.input += Math.max(0, usage.prompt_tokens - cached - written);
      this.tokens.output += usage.completion_tokens;
      this.tokens.cache_read += cached;
      this.tokens.cache_write += written;
    }
    if (cost) this.cost += cost;
  }

  /** Text exposition format. Gauges and retries are read at scrape time from their owners. */
  render(gauges: { inFlight: number; queued: number; retries: number }): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} ${type}`);

    family("requests_total", "counter", "HTTP requests answered, by status code.");
    for (const [status, n] of this.requests) out.push(`${PREFIX}_requests_total{status="${status}"} ${n}`);
    family("errors_total", "counter", "Failed requests, by kind of error.");
    for (const [kind, n] of this.errors) out.push(`${PREFIX}_errors_total{kind="${label(kind)}"} ${n}`);
    family("tokens_total", "counter", "Tokens, by kind (input excludes cache reads and writes).");
    for (const [kind, n] of Object.entries(this.tokens)) out.push(`${PREFIX}_tokens_total{kind="${kind}"} ${n}`);
    family("cost_usd_total", "counter", "Cost of Bedrock calls, USD.");
    out.push(`${PREFIX}_cost_usd_total ${this.cost}`);
    family("retries_total", "counter", "Bedrock calls retried by the client (throttling, transient errors).");
    out.push(`${PREFIX}_retries_total ${gauges.retries}`);
    family("request_duration_seconds", "histogram", "Time from request to the end of the response.");
    let cumulative = 0;
    BUCKETS.forEach((bound, i) => {
      cumulative += this.bucketCounts[i] as number;
      out.push(`${PREFIX}_request_duration_seconds_bucket{le="${bound}"} ${cumulative}`);
    });
    out.push(`${PREFIX}_request_duration_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    out.push(`${PREFIX}_request_duration_seconds_sum ${this.latencySum}`);
    out.push(`${PREFIX}_request_duration_seconds_count ${this.latencyCount}`);
    family("in_flight_requests", "gauge", "Requests being served.");
    out.push(`${PREFIX}_in_flight_requests ${gauges.inFlight}`);
    family("queued_requests", "gauge", "Requests waiting for a concurrency slot.");
    out.push(`${PREFIX}_queued_requests ${gauges.queued}`);
    return `${out.join("\n")}\n`;
  }
}
