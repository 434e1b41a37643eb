/**
 * POST /v1/chat/completions over the LLM facade: validate, pick the model, wait for a concurrency slot, then
 * answer with one JSON completion or an SSE stream. The client's disconnect aborts the Bedrock call.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatCompletionChunk, ChatCompletionRequest, CompletionUsage } from "../chat/index.js";
import { AbortedError, ConfigError } from "../errors.js";
import type { LLM } from "../llm/index.js";
import { stderrOperatorError } from "./access-log.js";
import { readBody, sendJson } from "./http-io.js";
import type { ConcurrencyLimiter } from "./limiter.js";
import type { ModelRouter } from "./model-router.js";
import { errors, GatewayError, toGatewayError } from "./openai-error.js";
import { type ChatCompletionBody, chatCompletionRequestSchema, firstIssue } from "./request-schema.js";
import { SseWriter } from "./sse.js";

export interface ChatContext {
  router: ModelRouter;
  limiter: ConcurrencyLimiter;
  maxBodyBytes: number;
  /** Controllers of calls in progress, aborted when a shutdown's drain time runs out. */
  inProgress: Set<AbortController>;
}

/** What happened, for the access log and metrics. */
export interface RequestOutcome {
  status?: number;
  model?: string;
  stream?: boolean;
  usage?: CompletionUsage | null;
  cost?: number;
  finishReason?: string;
  errorKind?: string;
}

export async function handleChatCompletions(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ChatContext,
  outcome: RequestOutcome,
): Promise<void> {
  const body = parseBody(await readBody(req, ctx.maxBodyBytes));
  outcome.model = body.model;
  outcome.stream = body.stream === true;
  const llm = pickModel(ctx.router, body.model);

  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once("close", onClose);
  if (!(await ctx.limiter.acquire(controller.signal))) {
    if (controller.signal.aborted) throw new AbortedError("client closed the connection while queued");
    throw errors.busy();
  }
  ctx.inProgress.add(controller);
  try {
    const request = toLibraryRequest(body, controller.signal);
    if (outcome.stream) await streamReply(llm, request, body, res, controller.signal, outcome);
    else {
      const response = await llm.completion(request);
      outcome.usage = response.usage;
      outcome.cost = response.cost;
      outcome.finishReason = response.choices[0]?.finish_reason;
      sendJson(res, 200, response);
    }
  } finally {
    ctx.inProgress.delete(controller);
    ctx.limiter.release();
    res.off("close", onClose);
  }
}

function parseBody(raw: Buffer): ChatCompletionBody {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    throw errors.badJson();
  }
  const parsed = chatCompletionRequestSchema.safeParse(json);
  if (!parsed.success) {
    const { message, param } = firstIssue(parsed.error);
    throw errors.badField(message, param);
  }
  return parsed.data;
}

function pickModel(router: ModelRouter, name: string): LLM {
  let llm: LLM | undefined;
  try {
    llm = router.resolve(name);
  } catch (error) {
    // e.g. a model id that needs an inference profile the configuration does not give
    if (error instanceof ConfigError)
      throw new GatewayError(
        400,
        error.message,
        "invalid_request_error",
        "model_not_supported",
        "unknown_model",
        "model",
      );
    throw error;
  }
  if (!llm) throw errors.unknownModel(name);
  return llm;
}

/** The parsed body is the library's request, minus the endpoint's own fields. */
function toLibraryRequest(body: ChatCompletionBody, signal: AbortSignal): ChatCompletionRequest {
  // model chose the LLM (a gateway name, never a per-call override); stream, stream_options and n are the endpoint's.
  const { model: _model, stream: _stream, stream_options: _streamOptions, n: _n, ...request } = body;
  return { ...request, signal };
}

async function streamReply(
  llm: LLM,
  request: ChatCompletionRequest,
  body: ChatCompletionBody,
  res: ServerResponse,
  signal: AbortSignal,
  outcome: RequestOutcome,
): Promise<void> {
  const sse = new SseWriter(res, signal);
  const includeUsage = body.stream_options?.include_usage === true;
  try {
    for await (const chunk of llm.stream(request)) {
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) outcome.finishReason = finish;
      if (chunk.usage == null) {
        await sse.send(chunk);
        continue;
      }
      outcome.usage = chunk.usage;
      outcome.cost = chunk.cost;
      await sendUsageChunk(sse, chunk, includeUsage);
    }
    await sse.done();
  } catch (error) {
    if (!sse.headersSent) throw error;
    // Headers are gone: report in-band, as OpenAI does, unless the client itself left.
    const failure = signal.aborted
      ? toGatewayError(new AbortedError("client closed the stream"))
      : toGatewayError(error);
    if (failure.operatorDetail) stderrOperatorError(failure.operatorDetail);
    outcome.errorKind = failure.kind;
    outcome.status = signal.aborted ? 499 : 200;
    if (!signal.aborted && !res.destroyed) res.end(`data: ${JSON.stringify(failure.body())}\n\n`);
  }
}

/** OpenAI sends usage in its own last chunk with no choices, and only when include_usage asked for it. */
async function sendUsageChunk(sse: SseWriter, chunk: ChatCompletionChunk, includeUsage: boolean): Promise<void> {
  const { usage, ...rest } = chunk;
  if (rest.choices.length > 0) await sse.send(rest);
  if (includeUsage) await sse.send({ ...rest, choices: [], usage });
}
