/**
 * Settling in batches: the corrections and charges of the requests that finish in one turn of the event loop go to
 * the store as one call (one transaction, one Lua script), summed per counter. A lone request is sent on the next
 * turn, so another replica sees it as soon as it would have unbatched; under load, N requests cost one round trip.
 */
import type { CounterAdd } from "../../store/gateway-store.js";

export class SettleBatch {
  private pending = new Map<string, CounterAdd>();
  private flushing: Promise<void> | undefined;

  /** `send` applies one batch; its failure is the caller's to report (it gets the error). */
  constructor(private readonly send: (entries: CounterAdd[]) => Promise<void>) {}

  /** Adds `entries` to the next batch; resolves when that batch has been applied (or has failed). */
  add(entries: readonly CounterAdd[]): Promise<void> {
    for (const entry of entries) {
      const known = this.pending.get(entry.name);
      if (known === undefined) this.pending.set(entry.name, { ...entry });
      else {
        known.amount += entry.amount;
        known.ttlMs = Math.max(known.ttlMs, entry.ttlMs);
      }
    }
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    return this.flushing;
  }

  /** Applies what is pending now (at shutdown, before the store closes). */
  flush(): Promise<void> {
    this.flushing = undefined;
    const entries = [...this.pending.values()].filter((entry) => entry.amount !== 0);
    this.pending = new Map();
    return entries.length === 0 ? Promise.resolve() : this.send(entries);
  }
}
