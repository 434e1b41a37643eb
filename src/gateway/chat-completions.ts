/**
 * Front door: OpenAI chat completions, POST /v1/chat/completions, over the LLM facade. Validate, pick the model,
 * take a concurrency slot, then answer with one JSON completion or an SSE stream. The client's disconnect aborts
 * the Bedrock call.
 */
import type { Context } from "hono";
import type { ChatCompletionChunk, ChatCompletionRequest } from "../chat/index.js";
import { AbortedError, ConfigError } from "../errors.js";
import type { LLM } from "../llm/index.js";
import { type CallSlot, takeCallSlot } from "./call-slot.js";
import { ChunkJson } from "./chunk-json.js";
import type { GatewayContext, GatewayEnv, RequestOutcome } from "./context.js";
import type { FrontDoor } from "./front-door.js";
import { type JsonBody, jsonBody } from "./json-body.js";
import { errors, toGatewayError } from "./openai-error.js";
import { type ChatCompletionBody, chatCompletionRequestSchema, firstIssue } from "./request-schema.js";
import { type SseWriter, sseResponse } from "./sse.js";

export const chatCompletionsDoor: FrontDoor = {
  method: "POST",
  path: "/v1/chat/completions",
  handler: (ctx) => (c) => handleChatCompletions(c, ctx),
};

async function handleChatCompletions(c: Context<GatewayEnv>, ctx: GatewayContext): Promise<Response> {
  const outcome = c.get("outcome");
  const body = parseBody(await jsonBody(c));
  outcome.model = body.model;
  outcome.stream = body.stream === true;
  const llm = pickModel(ctx, body.model);
  const slot = await takeCallSlot(ctx, c);
  const request = toLibraryRequest(body, slot.call);
  if (outcome.stream) {
    const includeUsage = body.stream_options?.include_usage === true;
    return sseResponse(c, slot, (sse) => streamReply(ctx, llm, request, includeUsage, sse, slot, outcome));
  }
  try {
    const response = await llm.completion(request);
    outcome.usage = response.usage;
    outcome.cost = response.cost;
    outcome.finishReason = response.choices[0]?.finish_reason;
    outcome.servedBy = response.served_by;
    return c.json(response);
  } catch (error) {
    // Cut by a shutdown whose drain ran out: the client is still there, and is told why.
    if (slot.endedByServer) {
      outcome.endedBy = "server";
      throw errors.shuttingDown();
    }
    throw error;
  } finally {
    slot.end();
  }
}

function parseBody(body: JsonBody): ChatCompletionBody {
  if (!body.ok) throw errors.badJson();
  const json = body.value;
  const parsed = chatCompletionRequestSchema.safeParse(json);
  if (!parsed.success) {
    const { message, param } = firstIssue(parsed.error);
    throw errors.badField(message, param);
  }
  return parsed.data;
}

/** The LLM serving a request's `model`; shared by the front doors that take OpenAI's model names. */
export function pickModel(ctx: GatewayContext, name: string): LLM {
  let llm: LLM | undefined;
  try {
    llm = ctx.router.resolve(name);
  } catch (error) {
    // e.g. a model id that needs an inference profile the configuration does not give
    if (error instanceof ConfigError) throw errors.unsupportedModel(error.message);
    throw error;
  }
  if (!llm) throw errors.unknownModel(name);
  return llm;
}

/** The parsed body is the library's request, minus the endpoint's own fields. */
/** The parsed body is the library's request, minus the endpoint's own fields. */
function toLibraryRequest(body: ChatCompletionBody, call: CallSlot["call"]): ChatCompletionRequest {
  // model chose the LLM (a gateway name, never a per-call override); stream, stream_options and n are the endpoint's.
  const { model: _model, stream: _stream, stream_options: _streamOptions, n: _n, ...request } = body;
  return { ...request, ...call };
}

async function streamReply(
  ctx: GatewayContext,
  llm: LLM,
  request: ChatCompletionRequest,
  includeUsage: boolean,
  sse: SseWriter,
  slot: CallSlot,
  outcome: RequestOutcome,
): Promise<void> {
  const json = new ChunkJson();
  try {
    for await (const chunk of llm.stream(request)) {
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) outcome.finishReason = finish;
      if (chunk.usage == null) {
        await sse.sendJson(json.of(chunk));
        continue;
      }
      outcome.usage = chunk.usage;
      outcome.cost = chunk.cost;
      outcome.servedBy = chunk.served_by;
      await sendUsageChunk(sse, chunk, includeUsage);
    }
    await sse.done();
  } catch (error) {
    const byServer = slot.endedByServer;
    if (!sse.headersSent) throw byServer ? errors.shuttingDown() : error;
    // Headers are gone: report in-band, as OpenAI does (a shutdown too), unless the client itself left.
    const byClient = slot.signal.aborted && !byServer;
    const failure = byServer
      ? errors.shuttingDown()
      : toGatewayError(byClient ? new AbortedError("client closed the stream") : error);
    if (failure.operatorDetail) ctx.operatorLog(failure.operatorDetail);
    outcome.errorKind = failure.kind;
    outcome.status = byClient ? 499 : 200;
    if (byClient || byServer) outcome.endedBy = byClient ? "client" : "server";
    if (byClient) sse.abandon();
    else sse.fail(failure.body());
  } finally {
    slot.end();
  }
}

/** OpenAI sends usage in its own last chunk with no choices, and only when include_usage asked for it. */
async function sendUsageChunk(sse: SseWriter, chunk: ChatCompletionChunk, includeUsage: boolean): Promise<void> {
  const { usage, ...rest } = chunk;
  if (rest.choices.length > 0) await sse.send(rest);
  if (includeUsage) await sse.send({ ...rest, choices: [], usage });
}
