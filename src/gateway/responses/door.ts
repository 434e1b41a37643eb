/**
 * Front door: OpenAI's Responses API over the LLM facade. POST /v1/responses validates the body, gathers the
 * conversation (a stored chain when previous_response_id is given, then this request's input), translates it to a
 * chat-completions request, and answers a Response object or its event stream; with `store` (OpenAI's default:
 * true) the response is kept for later turns and GET / DELETE /v1/responses/{id}. Codex CLI sends `store: false`
 * and the whole conversation each turn, which needs no state.
 */
import type { Context } from "hono";
import type { ChatCompletionRequest, CompletionUsage, FinishReason } from "../../chat/index.js";
import { AbortedError } from "../../errors.js";
import type { LLM } from "../../llm/index.js";
import { type CallSlot, takeCallSlot } from "../call-slot.js";
import { pickModel } from "../chat-completions.js";
import type { GatewayContext, GatewayEnv, RequestOutcome } from "../context.js";
import type { FrontDoor } from "../front-door.js";
import { type JsonBody, jsonBody } from "../json-body.js";
import { errors, toGatewayError } from "../openai-error.js";
import { firstIssue } from "../request-schema.js";
import { type SseWriter, sseResponse } from "../sse.js";
import { conversationUpTo, findStored } from "./history.js";
import { newResponseId } from "./ids.js";
import { finishResponse, outputItems, responseShell } from "./output.js";
import { type InputItem, type ResponsesBody, responsesRequestSchema, specificIssues } from "./request-schema.js";
import { ResponseEventStream } from "./stream.js";
import { type LocatedItem, toChatRequest } from "./to-chat.js";
import { ToolCatalog } from "./tools.js";
import type { ResponseObject, ResponseStreamEvent } from "./types.js";

export const RESPONSES_PATH = "/v1/responses";
const RESPONSE_PATH = "/v1/responses/:id";

export const responsesDoors: readonly FrontDoor[] = [
  { method: "POST", path: RESPONSES_PATH, handler: (ctx) => (c) => createResponse(c, ctx) },
  {
    method: "GET",
    path: RESPONSE_PATH,
    handler: (ctx) => async (c) => c.json((await findStored(ctx.responses, c.req.param("id") ?? "")).response),
  },
  {
    method: "DELETE",
    path: RESPONSE_PATH,
    handler: (ctx) => async (c) => {
      const id = c.req.param("id") ?? "";
      await findStored(ctx.responses, id);
      await ctx.responses.delete(id);
      return c.json({ id, object: "response", deleted: true });
    },
  },
];

/** One POST /v1/responses: what the request asks, and what was decided for it. */
interface ResponseCall {
  llm: LLM;
  request: ChatCompletionRequest;
  shell: ResponseObject;
  catalog: ToolCatalog;
  /** This request's own input items: what a stored response keeps. */
  input: InputItem[];
  store: boolean;
}

async function createResponse(c: Context<GatewayEnv>, ctx: GatewayContext): Promise<Response> {
  const outcome = c.get("outcome");
  const body = parseBody(await jsonBody(c));
  outcome.model = body.model;
  outcome.stream = body.stream === true;
  const llm = pickModel(ctx, body.model);
  const input: InputItem[] = body.input;
  const history = body.previous_response_id
    ? await conversationUpTo(ctx.responses, body.previous_response_id, ctx.responsesTtl)
    : [];
  const items: LocatedItem[] = [
    ...history.map((item) => ({ item, path: "previous_response_id" })),
    ...input.map((item, i) => ({ item, path: `input[${i}]` })),
  ];
  const catalog = new ToolCatalog(body.tools ?? []);
  const request = toChatRequest(body, items, catalog);
  const store = body.store !== false;
  const shell = responseShell(newResponseId(), body, store, Math.floor(Date.now() / 1000));
  const call: ResponseCall = { llm, request, shell, catalog, input, store };

  const slot = await takeCallSlot(ctx, c);
  Object.assign(request, slot.call);
  if (outcome.stream) return sseResponse(c, slot, (sse) => streamResponse(ctx, call, sse, slot, outcome));
  try {
    const completion = await llm.completion(request);
    const finish = completion.choices[0]?.finish_reason;
    outcome.usage = completion.usage;
    outcome.cost = completion.cost;
    outcome.servedBy = completion.served_by;
    outcome.finishReason = finish;
    const response = finishResponse(shell, outputItems(completion, catalog), finish, completion.usage);
    await save(ctx, call, response);
    return c.json(response);
  } finally {
    slot.end();
  }
}

function parseBody(body: JsonBody): ResponsesBody {
  if (!body.ok) throw errors.badJson();
  const json = body.value;
  const parsed = responsesRequestSchema.safeParse(json);
  if (!parsed.success) {
    const { message, param } = firstIssue(specificIssues(parsed.error));
    throw errors.badField(message, param);
  }
  return parsed.data;
}

/**
 * The event stream. The first chunk is awaited before anything is written, so a request Bedrock refuses (or a
 * throttle) still gets its HTTP status; after that, a failure ends the stream with error and response.failed.
 */
async function streamResponse(
  ctx: GatewayContext,
  call: ResponseCall,
  sse: SseWriter,
  slot: CallSlot,
  outcome: RequestOutcome,
): Promise<void> {
  const events = new ResponseEventStream(call.shell, call.catalog);
  const chunks = call.llm.stream(call.request)[Symbol.asyncIterator]();
  const send = async (list: ResponseStreamEvent[]) => {
    for (const event of list) await sse.event(event.type, event);
  };
  try {
    let next = await chunks.next();
    await send(events.start());
    let finish: FinishReason | undefined;
    let usage: CompletionUsage | null | undefined;
    while (!next.done) {
      const chunk = next.value;
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) {
        usage = chunk.usage;
        outcome.usage = chunk.usage;
        outcome.cost = chunk.cost;
      }
      if (chunk.served_by) outcome.servedBy = chunk.served_by;
      await send(events.chunk(chunk));
      next = await chunks.next();
    }
    outcome.finishReason = finish;
    const last = events.finish(finish, usage);
    // Stored before the client hears of it: its next request may name it at once.
    await save(ctx, call, last.response);
    await send(last.events);
    sse.end();
  } catch (error) {
    if (!sse.headersSent) throw error;
    const aborted = slot.signal.aborted;
    const failure = toGatewayError(aborted ? new AbortedError("client closed the stream") : error);
    if (failure.operatorDetail) ctx.operatorLog(failure.operatorDetail);
    outcome.errorKind = failure.kind;
    outcome.status = aborted ? 499 : 200;
    if (aborted) {
      sse.abandon();
      return;
    }
    sse.end(events.fail(failure.code ?? failure.kind, failure.message).map((event) => [event.type, event] as const));
  } finally {
    slot.end();
    // A stream left early (client gone) cancels the Bedrock call; a finished generator ignores this.
    chunks.return?.(undefined).catch(() => {});
  }
}

async function save(ctx: GatewayContext, call: ResponseCall, response: ResponseObject): Promise<void> {
  if (!call.store) return;
  try {
    await ctx.responses.put(response.id, { response, input: call.input }, ctx.responsesTtl);
  } catch (error) {
    // The answer stands; only later turns that name it will be told it is not found.
    ctx.operatorLog(
      `could not store response ${response.id}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
