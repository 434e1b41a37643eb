/**
 * The LLM facade: OpenAI chat-completions in and out, Bedrock Converse / ConverseStream underneath; and for Claude
 * models, Anthropic's Messages API body sent natively (InvokeModel). Each entry point is its attempt plus its
 * result's shape; everything else (checks, translation, retries, timeout, metrics,
 * cost, completion log, guardrail) is the pipeline's, the same for all.
 */
import type { ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import type { AnthropicMessage, AnthropicMessagesBody, AnthropicStreamEvent } from "../bedrock/anthropic-native.js";
import { redact } from "../config/redact.js";
import type { LLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { completionFinished, openConverseStream, sendConverse, streamEndedEarly, toCompletion } from "./converse.js";
import { estimatedCount, sendCountTokens as sendConverseCountTokens, type TokenCount } from "./count-tokens.js";
import {
  type CreateEmbeddingResponse,
  type EmbeddingRequest,
  type EmbedPlan,
  embeddingFinished,
  sendEmbeddings,
} from "./embed.js";
import {
  messageFinished,
  type NativeCallOptions,
  openInvokeStream,
  sendCountTokens,
  sendInvoke,
} from "./native-anthropic.js";
import { type LLMOptions, Pipeline } from "./pipeline.js";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, MetricsSnapshot } from "./types.js";

export type {
  AnthropicMessage,
  AnthropicMessagesBody,
  AnthropicStreamEvent,
  AnthropicUsage,
} from "../bedrock/anthropic-native.js";
export { usageFromAnthropic } from "../bedrock/anthropic-native.js";
export type { TokenCount } from "./count-tokens.js";
export type {
  CreateEmbeddingResponse,
  EmbeddingData,
  EmbeddingInputType,
  EmbeddingRequest,
} from "./embed.js";
export { AnthropicStreamState, type NativeCallOptions } from "./native-anthropic.js";
export type { LLMOptions } from "./pipeline.js";
export { describeRoute } from "./routing/describe.js";
export type * from "./types.js";

export class LLM {
  // Private (#) so that nothing serialising the object (JSON.stringify, spreading, structured loggers) reaches the
  // raw configuration or the client and credentials behind it; toJSON and inspect show the redacted view.
  readonly #config: LLMConfig;
  readonly #pipeline: Pipeline;

  constructor(config: LLMConfig, options: LLMOptions = {}) {
    if (typeof config !== "object" || config === null) {
      throw new ConfigError("new LLM(config) needs an [llm] configuration, e.g. (await loadConfig(path)).llm");
    }
    this.#config = config;
    this.#pipeline = new Pipeline(config, options ?? {});
  }

  /** The configuration as given, secrets included: print `llm` (or `redact(llm.config)`) to show it safely. */
  get config(): LLMConfig {
    return this.#config;
  }

  get metrics(): MetricsSnapshot {
    return this.#pipeline.metrics;
  }

  /** JSON.stringify(llm): the configuration redacted, and the metrics. */
  toJSON(): { config: LLMConfig; metrics: MetricsSnapshot } {
    return { config: redact(this.#config), metrics: this.metrics };
  }

  /** console.log(llm) and util.inspect: the same redacted view. */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `LLM ${inspect(this.toJSON(), options)}`;
  }

  async completion(request: ChatCompletionRequest): Promise<ChatCompletion> {
    const pipeline = this.#pipeline;
    const begun = pipeline.begin(request, false);
    const call = begun instanceof Promise ? await begun : begun;
    let output: ConverseCommandOutput;
    try {
      output = await pipeline.run(call, sendConverse);
    } catch (error) {
      throw await pipeline.fail(call, error);
    } finally {
      call.dispose();
    }
    const completion = toCompletion(call, output);
    await pipeline.finish(call, completionFinished(completion));
    return completion;
  }

  async *stream(request: ChatCompletionRequest): AsyncGenerator<ChatCompletionChunk> {
    const pipeline = this.#pipeline;
    const begun = pipeline.begin(request, true);
    const call = begun instanceof Promise ? await begun : begun;
    let finished = false;
    try {
      // Retried until the first content; from there on a failure ends the stream with the text delivered, unless
      // stream_recovery goes on from that text on another deployment.
      let reply = await pipeline.run(call, openConverseStream);
      for (;;) {
        const { translator } = reply;
        try {
          if (reply.first) yield reply.first;
          for await (const event of reply) {
            const chunk = reply.translate(event);
            if (chunk) yield chunk;
          }
          // An abort can close the HTTP/2 stream quietly: the events just stop.
          if (call.control.aborted) throw call.control.abortError(translator.partialText);
          if (!reply.complete) throw streamEndedEarly(call);
          break;
        } catch (thrown) {
          const delivered = { text: translator.partialText, textOnly: translator.textOnly };
          const recovered = await pipeline
            .recover(call, thrown, delivered)
            .catch((error: unknown) => Promise.reject(pipeline.broken(call, error, translator.partialText)));
          if (!recovered) throw pipeline.broken(call, thrown, translator.partialText);
          const broken = reply;
          translator.started = false;
          reply = await pipeline
            .run(call, (placed) => openConverseStream(placed, translator))
            .catch((error: unknown) => Promise.reject(pipeline.broken(call, error, translator.partialText)));
          reply.timeToFirstTokenMs = broken.timeToFirstTokenMs;
        }
      }
      const { last, finished: result } = reply.finish();
      finished = true;
      await pipeline.finish(call, result);
      yield last;
    } catch (error) {
      if (!finished) throw await pipeline.fail(call, error);
      throw error;
    } finally {
      // A caller that stops iterating early leaves the HTTP/2 stream open: cancel it.
      call.dispose(!finished);
    }
  }

  /**
   * Embeddings of one text or a list (OpenAI's CreateEmbeddingResponse, with `cost` in USD) from an embedding model:
   * `model` or the configured one (Titan Text Embeddings, Cohere Embed v3 / v4, Nova Multimodal Embeddings), with
   * its native body. Dimensions, text counts and lengths are checked against the model before anything is sent;
   * longer lists than the model takes per call are sent in runs and rejoined in order. Retries, timeout, metrics
   * (input tokens, cost) and errors are as for completion().
   */
  async embed(request: EmbeddingRequest): Promise<CreateEmbeddingResponse> {
    const pipeline = this.#pipeline;
    const call = await pipeline.beginEmbed(request);
    let plan: EmbedPlan;
    try {
      plan = await pipeline.run(call, sendEmbeddings);
    } catch (error) {
      throw await pipeline.fail(call, error);
    } finally {
      call.dispose();
    }
    const { response, finished } = embeddingFinished(call, plan);
    await pipeline.finish(call, finished);
    return response;
  }

  /**
   * A Messages API body (Anthropic's JSON) sent to this LLM's Claude model as it is, with InvokeModel: every
   * Anthropic feature Bedrock offers survives (the body's own cache points, thinking signatures, tools, betas).
   * `anthropic_version` is set, and what Bedrock refuses is left out (model, stream, unknown betas and fields).
   * Retries, routing (fallbacks and deployments whose model is Claude), timeout, guardrail, metrics and cost are
   * as for completion(); the message carries `cost` (USD) and `served_by` (the section that answered).
   */
  async invokeAnthropic(body: AnthropicMessagesBody, options: NativeCallOptions = {}): Promise<AnthropicMessage> {
    const pipeline = this.#pipeline;
    const call = pipeline.beginNative(body, options, false);
    let message: AnthropicMessage;
    try {
      message = await pipeline.run(call, sendInvoke);
    } catch (error) {
      throw await pipeline.fail(call, error);
    } finally {
      call.dispose();
    }
    await pipeline.finish(call, messageFinished(this.#config, call, message));
    return message;
  }

  /**
   * invokeAnthropic() streamed (InvokeModelWithResponseStream): the Messages API events as Bedrock relays them
   * (message_start, content_block_start / delta / stop, message_delta, message_stop). A failure before the first
   * content block is retried; after it, the error carries the text delivered so far. The last event, message_stop,
   * carries `cost` (USD) and `served_by` in place of Bedrock's invocation metrics. Routed before the first content
   * block like completion(); stream_recovery does not apply (a native body takes no prefill here).
   */
  async *streamAnthropic(
    body: AnthropicMessagesBody,
    options: NativeCallOptions = {},
  ): AsyncGenerator<AnthropicStreamEvent> {
    const pipeline = this.#pipeline;
    const call = pipeline.beginNative(body, options, true);
    let finished = false;
    try {
      // Retried until the first content block; from there on a failure ends the stream with the text delivered.
      const reply = await pipeline.run(call, openInvokeStream);
      let stop: AnthropicStreamEvent = { type: "message_stop" };
      try {
        for (const event of reply.held) {
          if (event.type === "message_stop") stop = event;
          else yield event;
        }
        for await (const member of reply) {
          const event = reply.translate(member);
          if (event?.type === "message_stop") stop = event;
          else if (event) yield event;
        }
        // An abort can close the HTTP/2 stream quietly: the events just stop.
        if (call.control.aborted) throw call.control.abortError(reply.state.text);
      } catch (thrown) {
        throw pipeline.broken(call, thrown, reply.state.text);
      }
      const { last, finished: result } = reply.finish(this.#config, stop);
      finished = true;
      await pipeline.finish(call, result);
      yield last;
    } catch (error) {
      if (!finished) throw await pipeline.fail(call, error);
      throw error;
    } finally {
      // A caller that stops iterating early leaves the HTTP/2 stream open: cancel it.
      call.dispose(!finished);
    }
  }

  /**
   * The input tokens of a Messages API body on this LLM's Claude model (Bedrock CountTokens with the native body):
   * what the same call would report as input, cache reads and writes together. A body without max_tokens (as
   * Anthropic's count_tokens takes it) is counted with the model's output limit. Retried as calls are; not priced.
   */
  async countAnthropicTokens(body: AnthropicMessagesBody, options: NativeCallOptions = {}): Promise<number> {
    const pipeline = this.#pipeline;
    const limit = pipeline.claudeModel().profile.info.maxOutputTokens;
    const counted = { ...body, max_tokens: body.max_tokens ?? limit };
    const call = pipeline.beginNative(counted, options, false, "count_tokens");
    try {
      const tokens = await pipeline.run(call, sendCountTokens);
      call.trace?.counted(call, tokens);
      return tokens;
    } catch (thrown) {
      const error = call.control.refusal ?? thrown;
      call.trace?.fail(call, error);
      throw error;
    } finally {
      call.dispose();
    }
  }

  /**
   * Input tokens of `request` as it would be sent, counted by Bedrock's CountTokens (free; transient failures
   * retried like any call), or estimated locally where CountTokens cannot count for the model: `source` says
   * which. Nothing is billed, logged or added to the metrics.
   */
  async countTokens(request: ChatCompletionRequest): Promise<TokenCount> {
    const pipeline = this.#pipeline;
    const call = await pipeline.begin(request, false, "count_tokens");
    try {
      const count = await pipeline.run(call, sendConverseCountTokens);
      call.trace?.counted(call, count.input_tokens);
      return count;
    } catch (error) {
      if (call.control.refusal !== undefined) {
        call.trace?.fail(call, call.control.refusal);
        throw call.control.refusal;
      }
      let estimate: TokenCount;
      try {
        estimate = estimatedCount(call, request, error);
      } catch (failure) {
        call.trace?.fail(call, failure);
        throw failure;
      }
      call.trace?.counted(call, estimate.input_tokens, "estimate");
      return estimate;
    } finally {
      call.dispose();
    }
  }
}
