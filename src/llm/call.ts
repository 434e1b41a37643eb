/**
 * One call as it moves through the pipeline: what was asked, where it goes now (the route's leg and target, and
 * the target's model, client and the operation's input: Converse's, or InvokeModel's for a native Anthropic
 * body), its cancellation and clock, and the retries so far. Made by Pipeline.begin (or beginNative), read by the
 * attempts, the attempt runner and the finish step. Routing changes the target between attempts; the attempts
 * only ever read `model`, `client` and `input`.
 */
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { ConverseInput } from "../bedrock/types.js";
import type { CallControl } from "./call-control.js";
import type { CallFacts } from "./completion-log.js";
import type { Leg } from "./routing/leg.js";
import type { Route } from "./routing/route.js";
import type { Target } from "./routing/target.js";
import type { ModelRuntime, Runtime } from "./runtime.js";
import type { CallSpan } from "./tracing.js";
import type { ChatCompletionRequest } from "./types.js";

/** What the caller asked: a chat request, or the Messages API body sent natively (as sent to Bedrock). */
export type CallRequest = ChatCompletionRequest | Record<string, unknown>;

/** Where an attempt goes: a target, with its model, client and the request translated for that model. */
export interface Placement<Input = ConverseInput> {
  target: Target;
  model: ModelRuntime;
  client: BedrockRuntimeClient;
  input: Input;
}

/**
 * How the call's request becomes any target's input (each target has its own model): `translate` gives the
 * target's model and the input, with the text of a broken stream as the assistant's prefix when `prefill` is set;
 * `continues` says whether a target's model takes such a prefix (absent: no call of this kind goes on after a
 * break). Either throws when the target cannot take the request.
 */
export interface CallPlan<Input = ConverseInput> {
  translate(runtime: Runtime, prefill: string | undefined): { model: ModelRuntime; input: Input };
  continues?(runtime: Runtime): boolean;
}

export class Call<Input = ConverseInput> {
  /** Attempts after the first on a leg, over every leg (retries and moves between deployments). */
  retries = 0;
  /** Retries on the current leg: its back-off and budget count these. */
  legRetries = 0;
  /** Moves to another deployment of the current leg without waiting (after a throttle or a refusal for good). */
  legMoves = 0;
  /** Index of the current leg of the route. */
  legIndex = 0;
  /** Sections left for a fallback, in order. */
  readonly fellBackFrom: string[] = [];
  /** Set while a broken stream goes on elsewhere: the text delivered, sent as the assistant's prefix. */
  prefill: string | undefined;
  /** performance.now() when the call started (after translation): latencies count from here. */
  readonly started = performance.now();
  /** The call's trace span, when a tracer records it. */
  trace: CallSpan | undefined;
  /** Targets this call must not use again (they refused it in a way that would not change). */
  private excluded: Set<Target> | undefined;
  private placement: Placement<Input>;
  private occupying: Target | undefined;

  constructor(
    readonly request: CallRequest,
    readonly stream: boolean,
    readonly route: Route,
    readonly plan: CallPlan<Input>,
    first: Placement<Input>,
    readonly control: CallControl,
  ) {
    this.placement = first;
  }

  get target(): Target {
    return this.placement.target;
  }

  get model(): ModelRuntime {
    return this.placement.model;
  }

  get client(): BedrockRuntimeClient {
    return this.placement.client;
  }

  get input(): Input {
    return this.placement.input;
  }

  get leg(): Leg {
    return this.route.legs[this.legIndex] as Leg;
  }

  /** The next attempt goes to `placement`; the call counts as in flight there until it leaves. */
  place(placement: Placement<Input>): void {
    this.placement = placement;
  }

  /** The attempt starts: one more call in flight on its target. */
  occupy(): void {
    this.release();
    this.occupying = this.placement.target;
    this.occupying.inFlight += 1;
  }

  /** The attempt failed, or the call is over: its target has one call fewer in flight. */
  release(): void {
    if (this.occupying) this.occupying.inFlight -= 1;
    this.occupying = undefined;
  }

  exclude(target: Target): void {
    // Made on the first exclusion: most calls never leave a target out.
    this.excluded ??= new Set();
    this.excluded.add(target);
  }

  include(target: Target): void {
    this.excluded?.delete(target);
  }

  /** Whether an attempt may go to `target`: not excluded, and able to continue a prefix when there is one. */
  readonly eligible = (target: Target): boolean => this.excluded?.has(target) !== true;

  /** Moves to the next leg of the route, if there is one. */
  fallBack(): boolean {
    if (this.legIndex + 1 >= this.route.legs.length) return false;
    this.fellBackFrom.push(this.leg.section);
    this.legIndex += 1;
    this.legRetries = 0;
    this.legMoves = 0;
    return true;
  }

  /** Releases the timer and listener, and the in-flight count; `cancel` aborts whatever is still in flight. */
  dispose(cancel = false): void {
    this.release();
    this.control.dispose(cancel);
    // completion() disposes before its finish step: only a cancelled call ends its span here.
    if (cancel) this.trace?.cancel();
  }

  /** What the completion log says about this call. */
  facts(id: string): CallFacts {
    const { request, stream, started, retries } = this;
    return { id, model: this.model.profile.sentId, stream, request, started, retries };
  }
}
