/**
 * Front door: Anthropic's Messages API, POST /v1/messages and POST /v1/messages/count_tokens. Claude models get
 * the client's body natively (InvokeModel / InvokeModelWithResponseStream / CountTokens through the library), so
 * every Anthropic feature Bedrock offers survives; other models go through the chat contract and Converse.
 * Answers, stream events and errors are Anthropic's shapes; the client's disconnect aborts the Bedrock call.
 */

import type { Context } from "hono";
import { AbortedError } from "../../errors.js";
import { AnthropicStreamState, type LLM, usageFromAnthropic } from "../../llm/index.js";
import { type CallSlot, takeCallSlot } from "../call-slot.js";
import type { GatewayContext, GatewayEnv, RequestOutcome } from "../context.js";
import type { FrontDoor } from "../front-door.js";
import { jsonBody } from "../json-body.js";
import { type SseWriter, sseResponse } from "../sse.js";
import { ChunksToEvents, toAnthropicMessage, toChatRequest } from "./converse-bridge.js";
import { invalidRequest, toAnthropicError } from "./errors.js";
import { pickModel, traitsOf } from "./model.js";
import { type MessagesRequest, parseMessagesRequest } from "./request.js";

export const MESSAGES_PATH = "/v1/messages";
export const COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

export const messagesDoor: FrontDoor = {
  method: "POST",
  path: MESSAGES_PATH,
  handler: (ctx) => (c) => handleMessages(c, ctx),
  toError: toAnthropicError,
};

export const countTokensDoor: FrontDoor = {
  method: "POST",
  path: COUNT_TOKENS_PATH,
  handler: (ctx) => (c) => handleCountTokens(c, ctx),
  toError: toAnthropicError,
};

async function handleMessages(c: Context<GatewayEnv>, ctx: GatewayContext): Promise<Response> {
  const outcome = c.get("outcome");
  const request = parseMessagesRequest(await jsonBody(c), c.req.header("anthropic-beta"), false);
  outcome.model = request.model;
  outcome.stream = request.stream;
  const llm = pickModel(ctx, request.model);
  const native = traitsOf(llm).claude;
  const slot = await takeCallSlot(ctx, c);
  if (request.stream) {
    const produce = native ? streamNative : streamBridged;
    return sseResponse(c, slot, (sse) => produce(ctx, llm, request, sse, slot, outcome));
  }
  try {
    if (native) {
      const message = await llm.invokeAnthropic(request.body, { ...slot.call, betas: request.betas });
      outcome.usage = usageFromAnthropic(message.usage);
      outcome.cost = message.cost;
      outcome.servedBy = message.served_by;
      outcome.finishReason = message.stop_reason ?? undefined;
      return c.json(message);
    }
    const completion = await llm.completion({
      ...toChatRequest(request.body, slot.signal, traitsOf(llm)),
      ...slot.call,
    });
    outcome.usage = completion.usage;
    outcome.cost = completion.cost;
    outcome.servedBy = completion.served_by;
    outcome.finishReason = completion.choices[0]?.finish_reason;
    return c.json(toAnthropicMessage(completion, request.model));
  } finally {
    slot.end();
  }
}

async function handleCountTokens(c: Context<GatewayEnv>, ctx: GatewayContext): Promise<Response> {
  const outcome = c.get("outcome");
  const request = parseMessagesRequest(await jsonBody(c), c.req.header("anthropic-beta"), true);
  outcome.model = request.model;
  const llm = pickModel(ctx, request.model);
  if (!traitsOf(llm).claude) {
    throw invalidRequest(
      "count_tokens counts with Bedrock CountTokens, which serves Claude models only: this model is not one.",
    );
  }
  const slot = await takeCallSlot(ctx, c);
  try {
    const inputTokens = await llm.countAnthropicTokens(request.body, { ...slot.call, betas: request.betas });
    return c.json({ input_tokens: inputTokens });
  } finally {
    slot.end();
  }
}

/** Claude: Bedrock's events as they come, a ping after message_start as Anthropic sends one. */
async function streamNative(
  ctx: GatewayContext,
  llm: LLM,
  request: MessagesRequest,
  sse: SseWriter,
  slot: CallSlot,
  outcome: RequestOutcome,
): Promise<void> {
  const state = new AnthropicStreamState();
  try {
    for await (const event of llm.streamAnthropic(request.body, { ...slot.call, betas: request.betas })) {
      state.observe(event);
      if (event.type === "message_stop" && typeof event.cost === "number") outcome.cost = event.cost;
      if (event.type === "message_stop" && typeof event.served_by === "string") outcome.servedBy = event.served_by;
      await sse.event(event.type, event);
      if (event.type === "message_start") await sse.event("ping", { type: "ping" });
    }
    outcome.usage = usageFromAnthropic(state.usage);
    outcome.finishReason = state.stopReason ?? undefined;
    sse.end();
  } catch (error) {
    failStream(ctx, error, sse, slot, outcome);
  } finally {
    slot.end();
  }
}

/** Other models: the library's chunks as Anthropic's events. */
async function streamBridged(
  ctx: GatewayContext,
  llm: LLM,
  request: MessagesRequest,
  sse: SseWriter,
  slot: CallSlot,
  outcome: RequestOutcome,
): Promise<void> {
  const events = new ChunksToEvents(request.model);
  try {
    for await (const chunk of llm.stream({
      ...toChatRequest(request.body, slot.signal, traitsOf(llm)),
      ...slot.call,
    })) {
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) outcome.finishReason = finish;
      if (chunk.usage) {
        outcome.usage = chunk.usage;
        outcome.cost = chunk.cost;
      }
      if (chunk.served_by) outcome.servedBy = chunk.served_by;
      for (const [name, data] of events.translate(chunk)) {
        await sse.event(name, data);
        if (name === "message_start") await sse.event("ping", { type: "ping" });
      }
    }
    sse.end();
  } catch (error) {
    failStream(ctx, error, sse, slot, outcome);
  } finally {
    slot.end();
  }
}

/**
 * A failure before the first event becomes a plain error answer (rethrown); after it, Anthropic's `error` event
 * ends the stream, unless the client itself left.
 */
function failStream(ctx: GatewayContext, error: unknown, sse: SseWriter, slot: CallSlot, outcome: RequestOutcome) {
  if (!sse.headersSent) throw error;
  const aborted = slot.signal.aborted;
  const failure = toAnthropicError(aborted ? new AbortedError("client closed the stream") : error);
  if (failure.operatorDetail) ctx.operatorLog(failure.operatorDetail);
  outcome.errorKind = failure.kind;
  outcome.status = aborted ? 499 : 200;
  if (aborted) sse.abandon();
  else sse.end([["error", failure.body()]]);
}
