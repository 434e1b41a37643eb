/**
 * Settling in batches: the corrections and charges of finished requests wait, summed per counter, for the next
 * admission, which carries them to the store in its own call (applied before its checks, so a replica's next
 * request is always checked against what its earlier ones used); when no admission comes within `waitMs`, they go
 * on their own. Another replica sees a settle at most that much later, which is far inside what settling after
 * the call already leaves open (a call's real usage is known only when it ends); under load, each request costs
 * the store one call instead of two.
 */
import type { CounterAdd } from "../../store/gateway-store.js";

/** How long settles wait for an admission to carry them. */
export const SETTLE_WAIT_MS = 5;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Settles taken by an admission: `done` reports how its store call went. */
export interface CarriedSettles {
  entries: CounterAdd[];
  done(error?: unknown): void;
}

export class SettleBatch {
  private pending = new Map<string, CounterAdd>();
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `send` applies one batch on its own; its failure is the caller's to report (it gets the error). */
  constructor(
    private readonly send: (entries: CounterAdd[]) => Promise<void>,
    private readonly waitMs = SETTLE_WAIT_MS,
  ) {}

  /** Adds `entries` to the next batch; resolves when that batch has been applied, rejects when that failed. */
  add(entries: readonly CounterAdd[]): Promise<void> {
    for (const entry of entries) {
      const known = this.pending.get(entry.name);
      if (known === undefined) this.pending.set(entry.name, { ...entry });
      else {
        known.amount += entry.amount;
        known.ttlMs = Math.max(known.ttlMs, entry.ttlMs);
      }
    }
    // Not holding the process open: a gateway that closes flushes what is pending.
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.waitMs).unref();
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** What is pending, for an admission to carry (undefined when nothing is). */
  take(): CarriedSettles | undefined {
    if (this.pending.size === 0) return undefined;
    const { entries, waiters } = this.detach();
    return { entries, done: (error) => settle(waiters, error) };
  }

  /** Applies what is pending now, on its own (when no admission took it in time, and at shutdown). */
  flush(): Promise<void> {
    const { entries, waiters } = this.detach();
    if (entries.length === 0) {
      settle(waiters);
      return Promise.resolve();
    }
    const sent = this.send(entries);
    sent.then(
      () => settle(waiters),
      (error: unknown) => settle(waiters, error),
    );
    return sent;
  }

  private detach(): { entries: CounterAdd[]; waiters: Waiter[] } {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.pending.values()].filter((entry) => entry.amount !== 0);
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    return { entries, waiters };
  }
}

function settle(waiters: readonly Waiter[], error?: unknown): void {
  for (const waiter of waiters) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}
