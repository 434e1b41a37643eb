/**
 * OpenTelemetry traces of the facade's calls, with the GenAI semantic conventions (semconv 1.45, gen_ai.* in
 * development status): one CLIENT span per call ("chat MODEL", "count_tokens MODEL", ...) and a child span per
 * Bedrock attempt, so that retries, moves between deployments and fallbacks show as the attempts of one call.
 * The tracer is the caller's (LLMOptions.tracer) or the global API's, a no-op until an SDK is registered: then a
 * call costs one non-recording span and nothing else (no attributes, no attempt spans).
 * Attribute values are ids, names, counts and codes; never a message, a prompt, a header or a credential.
 */
import {
  type Attributes,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { Call } from "./call.js";
import type { Finished } from "./finish.js";
import type { ChatCompletionRequest } from "./types.js";

/** The instrumentation scope's name: what a backend shows as the library that made the spans. */
export const TRACER_NAME = "bedrock-llm";

/** GenAI operation names (gen_ai.operation.name); count_tokens is ours (the conventions name none for it). */
export type GenAIOperation = "chat" | "embeddings" | "count_tokens";

// Attribute keys, spelled out rather than imported: the conventions' incubating entry point is a 16,000-line module.
const A = {
  operation: "gen_ai.operation.name",
  provider: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  maxTokens: "gen_ai.request.max_tokens",
  temperature: "gen_ai.request.temperature",
  topP: "gen_ai.request.top_p",
  stopSequences: "gen_ai.request.stop_sequences",
  stream: "gen_ai.request.stream",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  finishReasons: "gen_ai.response.finish_reasons",
  timeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cacheReadTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheWriteTokens: "gen_ai.usage.cache_creation.input_tokens",
  errorType: "error.type",
  region: "cloud.region",
  serverAddress: "server.address",
  requestId: "aws.request_id",
  // Ours: what the conventions have no name for.
  cost: "bedrock_llm.cost_usd",
  retries: "bedrock_llm.retries",
  servedBy: "bedrock_llm.served_by",
  fellBackFrom: "bedrock_llm.fell_back_from",
  errorCode: "bedrock_llm.error.code",
  attempt: "bedrock_llm.attempt",
  section: "bedrock_llm.section",
  cancelled: "bedrock_llm.cancelled",
  countSource: "bedrock_llm.count.source",
} as const;

const PROVIDER = "aws.bedrock";

/** A call span's options: one object for every call (a tracer reads them, never keeps or changes them). */
const CALL_SPAN = { kind: SpanKind.CLIENT } as const;

/** Starts the spans of one LLM instance's calls. */
export class CallTracing {
  private readonly tracer: Tracer;

  constructor(tracer: Tracer | undefined) {
    // Looked up once: the API's proxy tracer finds an SDK registered later by itself.
    this.tracer = tracer ?? trace.getTracer(TRACER_NAME);
  }

  /** The call's span, or undefined when nothing records it (no SDK, or not sampled). */
  start(operation: GenAIOperation, call: Call<unknown>): CallSpan | undefined {
    const model = call.model.profile.sentId;
    const span = this.tracer.startSpan(`${operation} ${model}`, CALL_SPAN);
    if (!span.isRecording()) return undefined;
    const attributes: Attributes = {
      [A.operation]: operation,
      [A.provider]: PROVIDER,
      [A.requestModel]: model,
      [A.stream]: call.stream,
    };
    // A count's max_tokens is the model's limit filled in, not a setting of the caller's.
    if (operation !== "count_tokens") requestAttributes(call, attributes);
    span.setAttributes(attributes);
    return new CallSpan(this.tracer, span);
  }
}

/** The settings a chat request set (what the configuration adds is the model's, not the request's). */
function requestAttributes(call: Call<unknown>, into: Attributes): void {
  // A chat request, or a native Messages body (stop_sequences).
  const request = call.request as Partial<ChatCompletionRequest> & { stop_sequences?: unknown };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === "number") into[A.maxTokens] = maxTokens;
  if (typeof request.temperature === "number") into[A.temperature] = request.temperature;
  if (typeof request.top_p === "number") into[A.topP] = request.top_p;
  const stop = request.stop ?? request.stop_sequences;
  if (typeof stop === "string") into[A.stopSequences] = [stop];
  else if (Array.isArray(stop)) into[A.stopSequences] = stop.filter((s): s is string => typeof s === "string");
}

/** One call's span: its attempts below it, ended once with the result or the error. */
export class CallSpan {
  private ended = false;

  constructor(
    private readonly tracer: Tracer,
    readonly span: Span,
  ) {}

  /** A child span for the attempt about to start, where the call is placed now. */
  attempt(call: Call<unknown>): AttemptSpan {
    const { model, target, leg } = call;
    const attributes: Attributes = {
      [A.attempt]: call.retries + 1,
      [A.section]: leg.section,
      [A.servedBy]: target.name,
      [A.requestModel]: model.profile.sentId,
      [A.region]: model.errors.region,
    };
    const host = hostOf(model.errors.endpoint);
    if (host) attributes[A.serverAddress] = host;
    const parent = trace.setSpan(ROOT_CONTEXT, this.span);
    const span = this.tracer.startSpan(
      `bedrock ${model.profile.sentId}`,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    return new AttemptSpan(span);
  }

  /** Something that happened to the call between attempts (a fallback, a stream going on elsewhere). */
  event(name: string, attributes: Attributes): void {
    this.span.addEvent(name, attributes);
  }

  /** The call succeeded: what served it, usage, finish reason and cost (end() follows, or fail() for a guardrail). */
  succeed(call: Call<unknown>, finished: Finished, cost: number): void {
    const { usage } = finished;
    const attributes: Attributes = {
      [A.responseModel]: call.model.profile.sentId,
      [A.responseId]: finished.id,
      [A.inputTokens]: usage.prompt_tokens,
      [A.outputTokens]: usage.completion_tokens,
      [A.cacheReadTokens]: usage.prompt_tokens_details.cached_tokens,
      [A.cacheWriteTokens]: usage.prompt_tokens_details.cache_write_tokens,
      [A.cost]: cost,
    };
    if (finished.finishReason) attributes[A.finishReasons] = [finished.finishReason];
    if (finished.timeToFirstTokenMs !== undefined) attributes[A.timeToFirstChunk] = finished.timeToFirstTokenMs / 1000;
    this.span.setAttributes(attributes);
    this.routed(call);
  }

  /** A token count's answer (count_tokens): the input tokens, and whether Bedrock or the estimate said so; ends. */
  counted(call: Call<unknown>, inputTokens: number, source: "bedrock" | "estimate" = "bedrock"): void {
    this.span.setAttribute(A.inputTokens, inputTokens);
    this.span.setAttribute(A.countSource, source);
    this.routed(call);
    this.end();
  }

  /** The call failed for good: its error's type and code, never its message (it may quote the input). */
  fail(call: Call<unknown>, error: unknown): void {
    if (this.ended) return;
    this.routed(call);
    const { type, code } = errorType(error);
    this.span.setAttribute(A.errorType, type);
    if (code) this.span.setAttribute(A.errorCode, code);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    this.end();
  }

  /** A stream its reader left early (or a call cancelled before it finished): ended, marked `cancelled`. */
  cancel(): void {
    if (this.ended) return;
    this.span.setAttribute(A.cancelled, true);
    this.end();
  }

  private routed(call: Call<unknown>): void {
    this.span.setAttribute(A.servedBy, call.target.name);
    this.span.setAttribute(A.retries, call.retries);
    if (call.fellBackFrom.length > 0) this.span.setAttribute(A.fellBackFrom, [...call.fellBackFrom]);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }
}

/** One Bedrock attempt. */
export class AttemptSpan {
  constructor(private readonly span: Span) {}

  succeed(): void {
    this.span.end();
  }

  /** The attempt failed (it may be retried): the exception's name (ThrottlingException, ECONNRESET, ...). */
  fail(thrown: unknown): void {
    const { type } = errorType(thrown);
    this.span.setAttribute(A.errorType, type);
    const requestId = (thrown as { $metadata?: { requestId?: string } } | null)?.$metadata?.requestId;
    if (typeof requestId === "string") this.span.setAttribute(A.requestId, requestId);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    this.span.end();
  }
}

function hostOf(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  try {
    return new URL(endpoint).host;
  } catch {
    return undefined;
  }
}

/** A low-cardinality type for error.type: a library error's class, an SDK exception's name, a socket error's code. */
function errorType(error: unknown): { type: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const typed = typeof code === "string" ? code : undefined;
    if (error.name === "Error" && typed) return { type: typed };
    return typed ? { type: error.name, code: typed } : { type: error.name };
  }
  return { type: "_OTHER" };
}
