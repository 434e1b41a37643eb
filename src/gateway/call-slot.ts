/**
 * A request's hold on the gateway while it calls Bedrock: a concurrency slot (queued FIFO, 429 when the queue is
 * full), and an abort signal that fires when the client leaves or a shutdown's drain time runs out, so that either
 * cancels the Bedrock call. Every front door takes one after validating its request and ends it when its reply is.
 */
import { AbortedError } from "../errors.js";
import type { GatewayContext } from "./context.js";
import { errors } from "./openai-error.js";

export interface CallSlot {
  /** Fires when the client went away or the drain ran out. */
  readonly signal: AbortSignal;
  /** Cancels the call (e.g. a stream's reader cancelled it). */
  abort(): void;
  /** Gives the slot back; call once. */
  end(): void;
}

/** Waits for a slot; throws GatewayError 429 when refused, AbortedError when the client left while queued. */
export async function takeCallSlot(ctx: GatewayContext, clientSignal: AbortSignal): Promise<CallSlot> {
  const controller = new AbortController();
  const onClientGone = () => controller.abort();
  if (clientSignal.aborted) controller.abort();
  else clientSignal.addEventListener("abort", onClientGone, { once: true });
  if (!(await ctx.limiter.acquire(controller.signal))) {
    clientSignal.removeEventListener("abort", onClientGone);
    if (controller.signal.aborted) throw new AbortedError("client closed the connection while queued");
    throw errors.busy();
  }
  ctx.inProgress.add(controller);
  let ended = false;
  return {
    signal: controller.signal,
    abort: () => controller.abort(),
    end: () => {
      if (ended) return;
      ended = true;
      ctx.inProgress.delete(controller);
      ctx.limiter.release();
      clientSignal.removeEventListener("abort", onClientGone);
    },
  };
}
