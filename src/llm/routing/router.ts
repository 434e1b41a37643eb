/**
 * Where each attempt of a call goes, and what a failure does to the route: a throttled deployment cools down
 * (and the next attempt goes to another at once when one is available), a deployment that refused the call for
 * good is left out of the call, a leg whose retries are spent hands the call to the next leg (its fallback),
 * and a stream broken after content may go on on another deployment (stream_recovery). The attempt runner asks;
 * it decides when to wait.
 */

import type { ClassifiedError } from "../../bedrock/errors.js";
import type { BedrockLLMError } from "../../errors.js";
import type { Call, CallPlan, Placement } from "../call.js";
import type { Leg } from "./leg.js";
import { coolsDown, fallsBack } from "./policy.js";
import type { Route } from "./route.js";
import type { RoutingStats } from "./stats.js";
import type { Target } from "./target.js";

/** Every target is eligible for a call's first attempt. */
const ANY = (): boolean => true;

/** Where a broken stream goes on: another deployment at once, or the same target after the back-off. */
export type Recovery = "elsewhere" | "same";

export class Router {
  constructor(
    readonly route: Route,
    readonly stats: RoutingStats,
    private readonly warn: (message: string) => void,
    /** Clock for cooldowns, milliseconds. */
    readonly now: () => number,
  ) {}

  /** The first attempt's placement; the request's translation errors surface here, before any call is made. */
  first<Input>(plan: CallPlan<Input>): Placement<Input> {
    const leg = this.route.legs[0] as Leg;
    // The clock matters only to deployments (cooldowns).
    const target = leg.pick(ANY, leg.deployments ? this.now() : 0) ?? this.route.root;
    return placement(target, plan, undefined);
  }

  /** Records a failure on the call's target; true when another deployment of its leg can be tried right away. */
  afterFailure(call: Call<unknown>, failure: ClassifiedError, now: number): boolean {
    const { leg, target } = call;
    if (!leg.deployments) return false;
    let moved = false;
    if (coolsDown(failure)) {
      const { first, longest } = leg.deployments.cooldown;
      target.coolDown(now, first, longest, failure.retryAfterSeconds);
      this.stats.count(target.name, "cooldowns");
      moved = true;
    }
    if (!failure.retryable && fallsBack(failure)) {
      // Refused for good (a quota used up, a context window too small): another deployment may take it.
      call.exclude(target);
      moved = true;
    }
    return moved && leg.hasAvailable(this.eligible(call), now);
  }

  /** Places the call's next attempt on its current leg; false when no target of the leg can take it. */
  place(call: Call<unknown>): boolean {
    const eligible = this.eligible(call);
    for (;;) {
      const target = call.leg.pick(eligible, this.now());
      if (!target) return false;
      if (target === call.target && call.prefill === undefined) return true;
      try {
        call.place(placement(target, call.plan, call.prefill));
        return true;
      } catch (error) {
        // This section cannot send the request (its model lacks a feature the request uses): leave it out.
        this.warn(`${target.name} cannot take a call routed to it: ${(error as Error).message}`);
        call.exclude(target);
      }
    }
  }

  /** Hands the call to the next leg that can take it; false when there is none. */
  fallBack(call: Call<unknown>): boolean {
    for (;;) {
      const leaving = call.leg.section;
      if (!call.fallBack()) return false;
      this.stats.count(leaving, "fallbacks");
      if (this.place(call)) return true;
    }
  }

  /**
   * A stream that broke after content goes on from the text delivered, when its leg's section has
   * stream_recovery, the reply so far is text only, and the failure is one a retry or a fallback would answer:
   * on another deployment of the leg whose model continues a prefill, or else on the same target over a fresh
   * connection (after the back-off), or, the leg's retries spent, on the next leg (its fallback). Places the call
   * and says where, or returns undefined: the stream then ends with its error. Moves and retries come out of the
   * leg's budget, as for any attempt.
   */
  recover(
    call: Call<unknown>,
    failure: ClassifiedError,
    delivered: { text: string; textOnly: boolean },
  ): Recovery | undefined {
    const { leg, target } = call;
    if (!leg.streamRecovery || !delivered.textOnly || delivered.text === "") return undefined;
    if (!failure.retryable && !fallsBack(failure)) return undefined;
    if (leg.deployments && coolsDown(failure)) {
      const { first, longest } = leg.deployments.cooldown;
      target.coolDown(this.now(), first, longest, failure.retryAfterSeconds);
      this.stats.count(target.name, "cooldowns");
    }
    const previous = call.prefill;
    call.prefill = delivered.text;
    if (call.legMoves < leg.targets.length - 1) {
      call.exclude(target);
      const moved = this.place(call);
      call.include(target);
      if (moved && call.target !== target) {
        this.stats.count(target.name, "stream_recoveries");
        return "elsewhere";
      }
    }
    if (failure.retryable && call.legRetries < leg.retry.numRetries && this.eligible(call)(target)) {
      call.place(placement(target, call.plan, call.prefill));
      this.stats.count(target.name, "stream_recoveries");
      return "same";
    }
    // The leg's budget is spent: the next leg, as a failure before content would go (fallBack skips a leg whose
    // models take no prefill).
    if (fallsBack(failure) && this.fallBack(call)) {
      this.stats.count(target.name, "stream_recoveries");
      return "elsewhere";
    }
    call.prefill = previous;
    return undefined;
  }

  /** The error a call ends with: the last failure's, saying which sections it fell back from. */
  finalError(call: Call<unknown>, error: BedrockLLMError): BedrockLLMError {
    if (call.fellBackFrom.length > 0) {
      const tried = [...call.fellBackFrom, call.leg.section].map(label).join(", then ");
      error.message = `${error.message} (Routed through ${tried}.)`;
    }
    return error;
  }

  /** Whether an attempt of this call may go to a target. */
  private eligible(call: Call<unknown>): (target: Target) => boolean {
    return (target) => call.eligible(target) && (call.prefill === undefined || this.continues(call, target));
  }

  private continues(call: Call<unknown>, target: Target): boolean {
    try {
      return call.plan.continues?.(target.runtime) ?? false;
    } catch {
      return false;
    }
  }
}

function placement<Input>(target: Target, plan: CallPlan<Input>, prefill: string | undefined): Placement<Input> {
  const { runtime } = target;
  const { model, input } = plan.translate(runtime, prefill);
  return { target, model, client: runtime.client, input };
}

function label(section: string): string {
  return section === "llm" ? "[llm]" : `[llm.${section}]`;
}
