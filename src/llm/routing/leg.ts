/**
 * One stage of a call's route: a section's own target, or its deployments (one logical model served by several
 * sections). A call stays on a leg for the leg section's retries, then falls back to the next leg. Each attempt
 * picks its target here:
 *   - least-in-flight (default): the deployment with the fewest calls in flight; a tie goes to the one picked least
 *     recently, so calls one after another take turns;
 *   - weighted: smooth weighted round-robin over the `weight` of each deployment (3 and 1: three calls of every
 *     four to the first, interleaved), deterministic, so the shares hold over any run of calls.
 * A deployment cooling down is skipped while another is available; when all of them are cooling, the one whose
 * cooldown ends first is taken (the retry policy has waited its back-off by then).
 */
import type { RoutingStrategy } from "../../config/types.js";
import type { RetrySettings } from "../retry.js";
import type { Target } from "./target.js";

export interface Cooldown {
  /** Seconds of the first cooldown. */
  first: number;
  /** Seconds a cooldown grows to at most. */
  longest: number;
}

/** Picks so far, across every leg: a target's lastPicked compares across the legs it is in. */
let picks = 0;

export class Leg {
  constructor(
    /** The section whose route this is (its fallback, or the section holding the deployments). */
    readonly section: string,
    readonly targets: readonly Target[],
    /** The section's retry policy: the leg's attempts before it falls back. */
    readonly retry: RetrySettings,
    /** Set for deployments; a leg of one section's own target has no choice to make. */
    readonly deployments: { strategy: RoutingStrategy; cooldown: Cooldown } | undefined,
    /** The section's stream_recovery: a stream broken after content goes on from its text. */
    readonly streamRecovery: boolean,
  ) {}

  /** The target for the next attempt among those `eligible` for this call, or undefined when none is. */
  pick(eligible: (target: Target) => boolean, now: number): Target | undefined {
    // A section's own target (no deployments): nothing to choose, no array to build.
    if (!this.deployments) {
      const only = this.targets[0];
      return this.mark(only !== undefined && eligible(only) ? only : undefined);
    }
    const candidates = this.targets.filter(eligible);
    if (candidates.length <= 1) return this.mark(candidates[0]);
    const available = candidates.filter((target) => !target.coolingAt(now));
    if (available.length === 0) {
      return this.mark(candidates.reduce((best, t) => (t.coolingUntil < best.coolingUntil ? t : best)));
    }
    return this.mark(this.deployments.strategy === "weighted" ? weighted(available) : leastInFlight(available));
  }

  /** Whether a target other than cooling ones is eligible now: a throttled deployment's call goes there at once. */
  hasAvailable(eligible: (target: Target) => boolean, now: number): boolean {
    return this.targets.some((target) => eligible(target) && !target.coolingAt(now));
  }

  private mark(target: Target | undefined): Target | undefined {
    if (target) {
      picks += 1;
      target.lastPicked = picks;
    }
    return target;
  }
}

function leastInFlight(targets: readonly Target[]): Target {
  let best = targets[0] as Target;
  for (const target of targets) {
    if (target.inFlight < best.inFlight || (target.inFlight === best.inFlight && target.lastPicked < best.lastPicked)) {
      best = target;
    }
  }
  return best;
}

/** Smooth weighted round-robin (as nginx balances upstreams). */
function weighted(targets: readonly Target[]): Target {
  let total = 0;
  let best = targets[0] as Target;
  for (const target of targets) {
    target.credit += target.weight;
    total += target.weight;
    if (target.credit > best.credit) best = target;
  }
  best.credit -= total;
  return best;
}
