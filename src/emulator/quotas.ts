/**
 * Per-target quotas (POST /_emulator/quotas): at most callsPerSecond matching calls in any one-second window (a
 * sliding window over the calls it let through); the calls beyond get ThrottlingException, as a Bedrock quota
 * for one model in one region or account would. A test can exhaust one region and watch traffic move.
 */
import { inScope } from "./faults.js";
import type { CallScope, QuotaRule } from "./types.js";

const WINDOW_MS = 1000;

/** A quota and the times of the calls it let through in the last second. */
export class Quota {
  private admitted: number[] = [];
  /** Calls it throttled, for GET /_emulator/quotas. */
  throttled = 0;

  constructor(readonly rule: QuotaRule) {}

  /** True when one more call would exceed the quota at `now`. */
  full(now: number): boolean {
    let stale = 0;
    while (stale < this.admitted.length && (this.admitted[stale] as number) <= now - WINDOW_MS) stale += 1;
    if (stale > 0) this.admitted = this.admitted.slice(stale);
    return this.admitted.length >= this.rule.callsPerSecond;
  }

  admit(now: number): void {
    this.admitted.push(now);
  }

  toJSON(): QuotaRule & { inLastSecond: number; throttled: number } {
    return { ...this.rule, inLastSecond: this.admitted.length, throttled: this.throttled };
  }
}

/**
 * The quota a call would exceed (it is then throttled, and counts toward none), or undefined: the call is let
 * through and counts toward every quota it matches.
 */
export function exceededQuota(
  quotas: readonly Quota[],
  operation: string,
  scope: CallScope,
  now: number,
): Quota | undefined {
  const matching = quotas.filter((quota) => inScope(quota.rule, operation, scope));
  const full = matching.find((quota) => quota.full(now));
  if (full) {
    full.throttled += 1;
    return full;
  }
  for (const quota of matching) quota.admit(now);
  return undefined;
}
