/**
 * Prometheus metrics of one gateway, on a prom-client Registry of its own (not the process-wide default, so two
 * gateways in one process, as in tests, never mix their counts). Served on GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CompletionUsage } from "../chat/index.js";
import type { SectionRouting } from "../llm/index.js";

const PREFIX = "bedrock_llm_gateway";
/** Request latency buckets, seconds: from loopback-fast to long streamed replies. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const TOKEN_KINDS = ["input", "output", "cache_read", "cache_write"] as const;

/** Values owned elsewhere, read at scrape time. */
export interface MetricSources {
  inFlight: () => number;
  queued: () => number;
  /** Retries so far, summed over every LLM instance (each counts its own). */
  retries: () => number;
  /** What routing did, per section, in each LLM instance (summed per section at scrape time). */
  routing: () => Record<string, SectionRouting>[];
}

/** Routing counts summed per section over every LLM instance. */
function perSection(instances: Record<string, SectionRouting>[], what: keyof SectionRouting): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sections of instances) {
    for (const [section, counts] of Object.entries(sections)) {
      totals.set(section, (totals.get(section) ?? 0) + counts[what]);
    }
  }
  return totals;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"status">;
  private readonly errors: Counter<"kind">;
  private readonly tokens: Record<(typeof TOKEN_KINDS)[number], Counter.Internal>;
  private readonly cost: Counter;
  private readonly duration: Histogram;
  /** Children per status code, so the hot path skips prom-client's label hashing. */
  private readonly byStatus = new Map<number, Counter.Internal>();

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: `${PREFIX}_requests_total`,
      help: "HTTP requests answered, by status code.",
      labelNames: ["status"],
      registers,
    });
    this.errors = new Counter({
      name: `${PREFIX}_errors_total`,
      help: "Failed requests, by kind of error.",
      labelNames: ["kind"],
      registers,
    });
    const tokens = new Counter({
      name: `${PREFIX}_tokens_total`,
      help: "Tokens, by kind (input excludes cache reads and writes).",
      labelNames: ["kind"],
      registers,
    });
    // Every kind is exposed from the start (at 0), so a dashboard's rate() has a series before the first call.
    this.tokens = {
      input: tokens.labels("input"),
      output: tokens.labels("output"),
      cache_read: tokens.labels("cache_read"),
      cache_write: tokens.labels("cache_write"),
    };
    for (const kind of TOKEN_KINDS) this.tokens[kind].inc(0);
    this.cost = new Counter({ name: `${PREFIX}_cost_usd_total`, help: "Cost of Bedrock calls, USD.", registers });
    new Counter({
      name: `${PREFIX}_retries_total`,
      help: "Bedrock calls retried by the client (throttling, transient errors).",
      registers,
      collect() {
        this.reset();
        this.inc(sources.retries());
      },
    });
    const routingCounter = (name: string, help: string, what: keyof SectionRouting) =>
      new Counter({
        name: `${PREFIX}_${name}_total`,
        help,
        labelNames: ["section"],
        registers,
        collect() {
          this.reset();
          for (const [section, count] of perSection(sources.routing(), what)) this.inc({ section }, count);
        },
      });
    routingCounter("fallbacks", "Calls that left a section for its next fallback, its retries spent.", "fallbacks");
    routingCounter("cooldowns", "Times a deployment was cooled down after throttling.", "cooldowns");
    routingCounter(
      "stream_recoveries",
      "Streams that broke on a section after content and went on on another deployment.",
      "stream_recoveries",
    );
    routingCounter("served", "Calls each section answered (after fallbacks and deployment picks).", "served");
    this.duration = new Histogram({
      name: `${PREFIX}_request_duration_seconds`,
      help: "Time from request to the end of the response.",
      buckets: BUCKETS,
      registers,
    });
    new Gauge({
      name: `${PREFIX}_in_flight_requests`,
      help: "Requests being served.",
      registers,
      collect() {
        this.set(sources.inFlight());
      },
    });
    new Gauge({
      name: `${PREFIX}_queued_requests`,
      help: "Requests waiting for a concurrency slot.",
      registers,
      collect() {
        this.set(sources.queued());
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  recordRequest(status: number, latencyMs: number): void {
    let counter = this.byStatus.get(status);
    if (!counter) {
      counter = this.requests.labels(String(status));
      this.byStatus.set(status, counter);
    }
    counter.inc();
    this.duration.observe(latencyMs / 1000);
  }

  recordError(kind: string): void {
    this.errors.inc({ kind });
  }

  recordUsage(usage: CompletionUsage | null | undefined, cost: number | undefined): void {
    if (usage) {
      const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
      const written = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
      // prompt_tokens includes cache reads and writes; "input" here is the uncached part, so kinds add up.
      this.tokens.input.inc(Math.max(0, usage.prompt_tokens - cached - written));
      this.tokens.output.inc(usage.completion_tokens);
      this.tokens.cache_read.inc(cached);
      this.tokens.cache_write.inc(written);
    }
    if (cost) this.cost.inc(cost);
  }

  /** The text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
