/**
 * A request's hold on the gateway while it calls Bedrock: a concurrency slot (queued FIFO, 429 when the queue is
 * full), and an abort signal that fires when the client leaves or a shutdown's drain time runs out, so that either
 * cancels the Bedrock call. Every front door takes one after validating its request and ends it when its reply is,
 * passing the slot's `call` options (its signal, and the admission by limits that the call waits for before it
 * sends) to the library call.
 */
import type { Context } from "hono";
import { AbortedError } from "../errors.js";
import type { GatewayContext, GatewayEnv } from "./context.js";
import { DrainTimedOut } from "./drain.js";
import { errors } from "./openai-error.js";
import { withSpan } from "./tracing.js";

export interface CallSlot {
  /** Fires when the client went away or the drain ran out. */
  readonly signal: AbortSignal;
  /**
   * What the library call takes from the slot: the signal, and the request's admission by limits and budgets as
   * `ready` (the call prepares and signs its request meanwhile, and sends it only once admitted, or at once when
   * the admission is `speculative`, answering nothing before it; a refusal is the call's error, unchanged,
   * answered in the door's shape).
   */
  readonly call: { signal: AbortSignal; ready?: Promise<unknown>; speculative?: boolean };
  /** The call was ended by the gateway's shutdown (its drain time ran out), not by the client. */
  readonly endedByServer: boolean;
  /** Cancels the call (e.g. a stream's reader cancelled it). */
  abort(): void;
  /** Gives the slot back; call once. */
  end(): void;
}

/** Resolves when a slot is free; throws (429, or the client left) when none will be, having stopped watching. */
async function admit(ctx: GatewayContext, controller: AbortController, stopWatching: () => void): Promise<void> {
  if (await ctx.limiter.acquire(controller.signal)) return;
  stopWatching();
  if (controller.signal.aborted) throw new AbortedError("client closed the connection while queued");
  throw errors.busy();
}

/**
 * Waits for a slot; throws GatewayError 429 when refused, AbortedError when the client left while queued.
 * Served by Node, the client's leaving is its response's "close" before the end (an EventEmitter listener, cheaper
 * than the fetch Request's signal, which @hono/node-server would build an AbortController for); elsewhere, the
 * Request's signal.
 */
export async function takeCallSlot(ctx: GatewayContext, c: Context<GatewayEnv>): Promise<CallSlot> {
  const controller = new AbortController();
  const stopWatching = whenClientLeaves(c, () => controller.abort());
  await withSpan(c, "gateway.concurrency", () => admit(ctx, controller, stopWatching));
  ctx.inProgress.add(controller);
  let ended = false;
  const admission = c.get("admission");
  return {
    signal: controller.signal,
    call:
      admission === undefined
        ? { signal: controller.signal }
        : { signal: controller.signal, ready: admission.decided, speculative: admission.speculative },
    get endedByServer() {
      return controller.signal.reason instanceof DrainTimedOut;
    },
    abort: () => controller.abort(),
    end: () => {
      if (ended) return;
      ended = true;
      ctx.inProgress.delete(controller);
      ctx.limiter.release();
      stopWatching();
    },
  };
}

/** Calls `left` once if the client goes away before its response is complete; returns how to stop watching. */
function whenClientLeaves(c: Context<GatewayEnv>, left: () => void): () => void {
  const res = c.env?.outgoing;
  if (res) {
    if (res.destroyed) left();
    const onClose = () => {
      if (!res.writableFinished) left();
    };
    res.once("close", onClose);
    return () => res.off("close", onClose);
  }
  const signal = c.req.raw.signal;
  if (signal.aborted) left();
  signal.addEventListener("abort", left, { once: true });
  return () => signal.removeEventListener("abort", left);
}
