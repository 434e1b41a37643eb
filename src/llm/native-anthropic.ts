/**
 * The native Anthropic calls of the facade: a Messages API body sent to a Claude model as InvokeModel,
 * InvokeModelWithResponseStream or CountTokens (`input.invokeModel`), on the LLM's own client (credentials,
 * endpoint, cross-region profile id) with its guardrail (InvokeModel's guardrail headers), service tier and
 * latency settings. This file holds what one attempt does and how its answer reads; retries, timeout, metrics,
 * the completion log and the guardrail's verdict are the pipeline's, as for chat completions.
 */
import {
  CountTokensCommand,
  InvokeModelCommand,
  type InvokeModelCommandInput,
  InvokeModelWithResponseStreamCommand,
  type ResponseStream,
} from "@aws-sdk/client-bedrock-runtime";
import { send } from "../auth/sdk-handler.js";
import {
  type AnthropicMessage,
  type AnthropicStreamEvent,
  type AnthropicUsage,
  oneHourCacheWrites,
  usageFromAnthropic,
} from "../bedrock/anthropic-native.js";
import type { LLMConfig } from "../config/types.js";
import { ValidationError } from "../errors.js";
import type { Call } from "./call.js";
import { costOf, tokenPrices } from "./cost.js";
import type { Finished } from "./finish.js";
import type { ModelRuntime } from "./runtime.js";
import type { CallOptions, CompletionUsage } from "./types.js";

/** Per-call options of the native calls. */
export interface NativeCallOptions extends CallOptions {
  /** Beta flags to add to the body's `anthropic_beta` (e.g. from an anthropic-beta header); unknown ones are left out. */
  betas?: readonly string[];
}

/** The stream handler on the client's shared HTTP/2 session, as for ConverseStream (see converse stream). */
const SHARED_SESSION = { isEventStream: false } as const;

const TRACE: Record<string, "ENABLED" | "DISABLED" | "ENABLED_FULL"> = {
  enabled: "ENABLED",
  disabled: "DISABLED",
  enabled_full: "ENABLED_FULL",
};

/** Only Claude models take the Messages body. */
export function requireClaude(model: ModelRuntime): void {
  if (model.profile.info.provider === "anthropic") return;
  throw new ValidationError(
    `${model.profile.sentId} is not a Claude model: the native Anthropic Messages body goes to Claude models only (use completion() or stream() for other models).`,
  );
}

/** InvokeModel's input for a prepared body: the model's id, the guardrail, service tier and latency settings. */
export function invokeInput(model: ModelRuntime, body: Record<string, unknown>): InvokeModelCommandInput {
  const { guardrail_config: guardrail, service_tier, latency } = model.profile.settings;
  const input: InvokeModelCommandInput = {
    modelId: model.profile.sentId,
    body: new TextEncoder().encode(JSON.stringify(body)),
    contentType: "application/json",
    accept: "application/json",
  };
  if (guardrail) {
    input.guardrailIdentifier = guardrail.guardrailIdentifier;
    input.guardrailVersion = guardrail.guardrailVersion;
    if (guardrail.trace) input.trace = TRACE[guardrail.trace];
  }
  if (service_tier) input.serviceTier = service_tier;
  if (latency) input.performanceConfigLatency = latency;
  return input;
}

/** invokeAnthropic()'s attempt: one InvokeModel call, its body read as a Messages API response. */
export async function sendInvoke(call: Call<InvokeModelCommandInput>): Promise<AnthropicMessage> {
  const output = await send(call.client, new InvokeModelCommand(call.input), { abortSignal: call.control.sdkSignal });
  return JSON.parse(new TextDecoder().decode(output.body)) as AnthropicMessage;
}

/** What the finish step records of a Messages API reply; puts the cost on it. */
export function messageFinished(config: LLMConfig, call: Call<unknown>, message: AnthropicMessage): Finished {
  const { usage, cost } = priceAnthropicUsage(config, call.model, message.usage);
  const intervened = message["amazon-bedrock-guardrailAction"] === "INTERVENED";
  return {
    id: message.id,
    usage,
    cost,
    finishReason: intervened ? "content_filter" : null,
    guardrailTrace: message["amazon-bedrock-trace"],
    outputText: textOf(message),
    priced(price) {
      message.cost = price;
      message.served_by = call.target.name;
      return { response: message, usage, cost: price };
    },
  };
}

/** The text blocks of a Messages API reply. */
function textOf(message: AnthropicMessage): string {
  return message.content
    .filter((block) => block.type === "text")
    .map((block) => String(block.text ?? ""))
    .join("");
}

/**
 * streamAnthropic()'s attempt: opens InvokeModelWithResponseStream and reads it up to its first content block, so
 * that a failure before any content is retried (a fresh stream, nothing repeated) and one after it is not. The
 * events read so far are held in the reply, which carries on from there.
 */
export async function openInvokeStream(call: Call<InvokeModelCommandInput>): Promise<NativeStreamReply> {
  const output = await send(call.client, new InvokeModelWithResponseStreamCommand(call.input), {
    abortSignal: call.control.sdkSignal,
    ...SHARED_SESSION,
  });
  const events = (output.body ?? NO_EVENTS)[Symbol.asyncIterator]();
  const reply = new NativeStreamReply(call, events);
  try {
    for (let next = await events.next(); !next.done; next = await events.next()) {
      const event = reply.translate(next.value);
      if (event) reply.held.push(event);
      if (reply.state.started) return reply;
    }
  } catch (failure) {
    await events.return?.();
    throw failure;
  }
  // An abort can close the HTTP/2 stream quietly: the events just stop.
  if (call.control.aborted) throw call.control.abortError();
  return reply;
}

const NO_EVENTS: AsyncIterable<ResponseStream> = {
  async *[Symbol.asyncIterator]() {},
};

/** An open invoke stream past its first content block: the held events, then iterate it for the rest. */
export class NativeStreamReply implements AsyncIterable<ResponseStream> {
  readonly state = new AnthropicStreamState();
  /** Events read before the call committed, to be delivered first. */
  readonly held: AnthropicStreamEvent[] = [];
  timeToFirstTokenMs: number | undefined;

  constructor(
    private readonly call: Call<InvokeModelCommandInput>,
    private readonly events: AsyncIterator<ResponseStream>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<ResponseStream> {
    return this.events;
  }

  /** One stream member -> its event, observed; an exception frame is thrown. */
  translate(member: ResponseStream): AnthropicStreamEvent | undefined {
    this.call.control.progress();
    const event = readStreamMember(member);
    if (!event) return undefined;
    this.state.observe(event);
    if (this.state.started) this.timeToFirstTokenMs ??= performance.now() - this.call.started;
    return event;
  }

  /** What the finish step records of the whole stream; puts the cost on the last event (message_stop). */
  finish(config: LLMConfig, stop: AnthropicStreamEvent): { last: AnthropicStreamEvent; finished: Finished } {
    const { state } = this;
    const { usage, cost } = priceAnthropicUsage(config, this.call.model, state.usage);
    const { "amazon-bedrock-invocationMetrics": _metrics, ...last } = stop;
    const finished: Finished = {
      id: `msg-stream-${crypto.randomUUID()}`,
      usage,
      cost,
      finishReason: state.guardrailIntervened ? "content_filter" : null,
      guardrailTrace: undefined,
      outputText: state.text,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
      priced: (price) => {
        last.cost = price;
        last.served_by = this.call.target.name;
        return {
          response: { content: state.text, tool_calls: [], finish_reason: state.stopReason },
          usage,
          cost: price,
          time_to_first_token_ms: this.timeToFirstTokenMs,
        };
      },
    };
    return { last, finished };
  }
}

/** Exception members the invoke stream may deliver in place of a chunk. */
const STREAM_EXCEPTIONS = [
  "internalServerException",
  "modelStreamErrorException",
  "modelTimeoutException",
  "serviceUnavailableException",
  "throttlingException",
  "validationException",
] as const;

/** One stream member -> the Anthropic event it carries; an exception frame is thrown, named as the SDK names it. */
function readStreamMember(member: ResponseStream): AnthropicStreamEvent | undefined {
  const frame: Partial<Record<(typeof STREAM_EXCEPTIONS)[number], { message?: string }>> = member;
  for (const key of STREAM_EXCEPTIONS) {
    const value = frame[key];
    if (value) {
      const error = new Error(value.message ?? key);
      error.name = key[0]?.toUpperCase() + key.slice(1);
      throw error;
    }
  }
  const bytes = member.chunk?.bytes;
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as AnthropicStreamEvent) : undefined;
}

/**
 * countAnthropicTokens()'s attempt: CountTokens on the foundation model (it takes no inference profile), with the
 * body InvokeModel would have sent.
 */
export async function sendCountTokens(call: Call<InvokeModelCommandInput>): Promise<number> {
  const body = new TextEncoder().encode(JSON.stringify(call.request));
  const output = await send(
    call.client,
    new CountTokensCommand({ modelId: call.model.profile.info.id, input: { invokeModel: { body } } }),
    { abortSignal: call.control.sdkSignal },
  );
  return output.inputTokens ?? 0;
}

/**
 * Usage and cost of a Messages API reply. The client chose each cache point's TTL: one-hour writes are priced at
 * the one-hour write price, the rest at the five-minute one; configured per-token prices still win.
 */
export function priceAnthropicUsage(
  config: LLMConfig,
  model: ModelRuntime,
  anthropicUsage: AnthropicUsage | undefined,
): { usage: CompletionUsage; cost: number } {
  const usage = usageFromAnthropic(anthropicUsage);
  const fiveMinute = tokenPrices({ ...config, cache_ttl: "5m" }, model.profile.info);
  const oneHour = Math.min(oneHourCacheWrites(anthropicUsage), usage.prompt_tokens_details.cache_write_tokens);
  const extra =
    oneHour > 0
      ? oneHour * (tokenPrices({ ...config, cache_ttl: "1h" }, model.profile.info).cacheWrite - fiveMinute.cacheWrite)
      : 0;
  return { usage, cost: Math.round((costOf(usage, fiveMinute) + extra) * 1e15) / 1e15 };
}

/**
 * Follows a Messages API stream: the usage of message_start, updated by message_delta (which carries the final
 * output count, and on newer APIs the input counts too), the text delivered so far (for errors that cut the
 * stream), and whether content has started (after which a failure is not retried).
 */
export class AnthropicStreamState {
  usage: AnthropicUsage = {};
  text = "";
  started = false;
  stopReason: string | null = null;
  guardrailIntervened = false;

  observe(event: AnthropicStreamEvent): void {
    switch (event.type) {
      case "message_start": {
        const message = event.message as { usage?: AnthropicUsage } | undefined;
        this.usage = { ...message?.usage };
        break;
      }
      case "content_block_start":
        this.started = true;
        break;
      case "content_block_delta": {
        const delta = event.delta as { type?: string; text?: string } | undefined;
        if (delta?.type === "text_delta" && typeof delta.text === "string") this.text += delta.text;
        break;
      }
      case "message_delta": {
        const delta = event.delta as { stop_reason?: string | null } | undefined;
        if (delta?.stop_reason !== undefined) this.stopReason = delta.stop_reason;
        for (const [key, value] of Object.entries((event.usage as AnthropicUsage | undefined) ?? {})) {
          if (value !== null && value !== undefined) this.usage[key] = value;
        }
        break;
      }
    }
    if (event["amazon-bedrock-guardrailAction"] === "INTERVENED") this.guardrailIntervened = true;
  }
}
