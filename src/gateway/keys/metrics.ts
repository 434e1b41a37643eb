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

  record(key: string | undefined, usage: CompletionUsage | null | undefined, cost: number | undefined): void {
    const name = key ?? NO_NAME;
    this.requests.inc({ key: name });
    if (usage) {
      this.tokens.inc({ key: name, kind: "input" }, usage.prompt_tokens);
      this.tokens.inc({ key: name, kind: "output" }, usage.completion_tokens);
    }
    if (cost) this.cost.inc({ key: name }, cost);
  }
}
