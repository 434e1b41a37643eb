/**
 * Metrics attributed to virtual keys, by name (never the key), on the gateway's registry: requests, tokens and
 * cost per key, and whether the key and limit store answers.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { CompletionUsage } from "../../chat/index.js";

const PREFIX = "bedrock_llm_gateway";
/** The label of requests made with a plain [server] api_keys key, or with no key. */
const NO_NAME = "";

export class KeyMetrics {
  private readonly requests: Counter<"key">;
  private readonly tokens: Counter<"key" | "kind">;
  private readonly cost: Counter<"key">;

  constructor(registry: Registry, storeUp?: () => number) {
    const registers = [registry];
    this.requests = new Counter({
      name: `${PREFIX}_key_requests_total`,
      help: "Model requests admitted, by virtual key name.",
      labelNames: ["key"],
      registers,
    });
    this.tokens = new Counter({
      name: `${PREFIX}_key_tokens_total`,
      help: "Tokens by virtual key name and kind (input includes cache reads and writes).",
      labelNames: ["key", "kind"],
      registers,
    });
    this.cost = new Counter({
      name: `${PREFIX}_key_cost_usd_total`,
      help: "Cost of Bedrock calls, USD, by virtual key name.",
      labelNames: ["key"],
      registers,
    });
    if (storeUp) {
      new Gauge({
        name: `${PREFIX}_store_up`,
        help: "1 while the key and limit store answers, 0 while it does not (only with a store).",
        registers,
        collect() {
          this.set(storeUp());
        },
      });
    }
  }

  /** Each key name's labelled counters, their label objects built once per key name rather than per request. */
  private readonly bound = new Map<string, BoundCounters>();

  record(key: string | undefined, usage: CompletionUsage | null | undefined, cost: number | undefined): void {
    const counters = this.countersOf(key ?? NO_NAME);
    counters.requests.inc();
    if (usage) {
      counters.input.inc(usage.prompt_tokens);
      counters.output.inc(usage.completion_tokens);
    }
    if (cost) counters.cost.inc(cost);
  }

  private countersOf(name: string): BoundCounters {
    let counters = this.bound.get(name);
    if (counters === undefined) {
      if (this.bound.size >= 10_000) this.bound.clear(); // keys come and go; the counters stay in the registry
      counters = {
        requests: this.requests.labels({ key: name }),
        input: this.tokens.labels({ key: name, kind: "input" }),
        output: this.tokens.labels({ key: name, kind: "output" }),
        cost: this.cost.labels({ key: name }),
      };
      this.bound.set(name, counters);
    }
    return counters;
  }
}

interface BoundCounters {
  requests: { inc(value?: number): void };
  input: { inc(value?: number): void };
  output: { inc(value?: number): void };
  cost: { inc(value?: number): void };
}
