/**
 * The LLM facade: OpenAI chat-completions in and out, Bedrock Converse / ConverseStream underneath.
 * Per call: translate (one walk over the messages), send with the retry policy, translate back, account.
 * Model, credentials and client are resolved once, on the first call.
 */
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamCommandOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { type ClassifiedError, classifyError } from "../bedrock/errors.js";
import { buildConverseInput } from "../bedrock/request.js";
import { toChatCompletion } from "../bedrock/response.js";
import { StreamTranslator, streamException } from "../bedrock/stream.js";
import type { ConverseInput } from "../bedrock/types.js";
import { redact } from "../config/redact.js";
import type { LLMConfig } from "../config/types.js";
import { ConfigError, GuardrailInterventionError } from "../errors.js";
import { CallControl } from "./call-control.js";
import { type CallFacts, CompletionLog } from "./completion-log.js";
import { costOf } from "./cost.js";
import { Metrics } from "./metrics.js";
import { withPartialText } from "./partial.js";
import { sleep as defaultSleep, type RetrySettings, retryDelayMs, retrySettings } from "./retry.js";
import { type ModelRuntime, Runtime } from "./runtime.js";
import type {
  CallRecord,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionUsage,
  MetricsSnapshot,
} from "./types.js";

export type * from "./types.js";

/**
 * ConverseStream on the client's shared HTTP/2 session. The SDK marks every operation with an event stream
 * `isEventStream` and its HTTP/2 handler then opens a session of its own for the call (a TCP + TLS handshake, torn
 * down after), which bidirectional streams need. ConverseStream only streams the response, which multiplexes like
 * any response: an unread stream is held back by its own flow-control window, not the session's. The handler
 * option given per call takes precedence over the operation's. Through the gateway this halved the time of a
 * streamed call and doubled the streams per second (docs/GATEWAY.md, Performance).
 */
const SHARED_SESSION = { isEventStream: false } as const;

export interface LLMOptions {
  /** Injected sleep for retry back-off (tests use a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source in [0,1) for jitter. */
  random?: () => number;
  /** Receives warnings (dropped settings, legacy models, ...). Default: console.warn once per message. */
  onWarning?: (message: string) => void;
  /**
   * A BedrockRuntimeClient to use instead of the one built from the configuration (custom middleware, a shared
   * connection). Create it with `maxAttempts: 1`: the LLM runs its own retries.
   */
  client?: BedrockRuntimeClient;
}

export class LLM {
  private runtime: Runtime | undefined;
  private readonly store = new Metrics();
  private readonly warned = new Set<string>();
  private readonly retry: RetrySettings;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly onWarning: (message: string) => void;
  private readonly log: CompletionLog | undefined;
  private readonly client: BedrockRuntimeClient | undefined;

  constructor(
    readonly config: LLMConfig,
    options: LLMOptions = {},
  ) {
    if (typeof config !== "object" || config === null) {
      throw new ConfigError("new LLM(config) needs an [llm] configuration, e.g. (await loadConfig(path)).llm");
    }
    this.retry = retrySettings(config);
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.onWarning = options.onWarning ?? ((message) => console.warn(`bedrock-llm: ${message}`));
    this.log = config.log_completions ? new CompletionLog(config.log_completions_folder, this.warn) : undefined;
    this.client = options.client;
  }

  get metrics(): MetricsSnapshot {
    return this.store.snapshot();
  }

  /** console.log(llm) and util.inspect show the configuration redacted: `config` holds the raw secrets. */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `LLM ${inspect({ config: redact(this.config), metrics: this.metrics }, options)}`;
  }

  async completion(request: ChatCompletionRequest): Promise<ChatCompletion> {
    const model = this.model(request);
    const input = buildConverseInput(request, model.profile, false, this.warn);
    const client = (this.runtime as Runtime).client;
    const control = new CallControl(request.signal, request.timeout ?? this.config.timeout);
    const started = performance.now();
    let retries = 0;
    let output: ConverseCommandOutput;
    try {
      for (;;) {
        try {
          output = await client.send(new ConverseCommand(input), { abortSignal: control.sdkSignal });
          break;
        } catch (thrown) {
          retries = await this.backOff(thrown, control, model, retries);
        }
      }
    } catch (error) {
      this.store.addRetries(retries);
      await this.log?.failure(facts(failedId(), request, model, false, started, retries), error);
      throw error;
    } finally {
      control.dispose();
    }

    const latencyMs = performance.now() - started;
    const id = `chatcmpl-${output.$metadata.requestId ?? crypto.randomUUID()}`;
    const completion = toChatCompletion(output, id, model.profile.sentId);
    completion.cost = this.account(model, completion.usage, latencyMs, undefined, retries);
    await this.log?.success(facts(id, request, model, false, started, retries), { response: completion });
    if (completion.choices[0]?.finish_reason === "content_filter") {
      this.raiseOnIntervention(model, completion.guardrail_trace, completion.choices[0].message.content ?? "", id);
    }
    return completion;
  }

  async *stream(request: ChatCompletionRequest): AsyncGenerator<ChatCompletionChunk> {
    const model = this.model(request);
    const input = buildConverseInput(request, model.profile, true, this.warn);
    const control = new CallControl(request.signal, request.timeout ?? this.config.timeout);
    const started = performance.now();
    let retries = 0;
    let translator: StreamTranslator | undefined;
    let firstTokenMs: number | undefined;
    let finished = false;
    try {
      for (;;) {
        try {
          const response = await this.openStream(input, control);
          translator = new StreamTranslator(
            `chatcmpl-${response.$metadata.requestId ?? crypto.randomUUID()}`,
            model.profile.sentId,
          );
          for await (const event of response.stream ?? []) {
            control.progress();
            const failure = streamException(event);
            if (failure) throw failure;
            const chunk = translator.translate(event);
            if (chunk) {
              firstTokenMs ??= performance.now() - started;
              yield chunk;
            }
          }
          // An abort can close the HTTP/2 stream quietly: the events just stop.
          if (control.aborted) throw control.abortError(translator.partialText);
          break;
        } catch (thrown) {
          // After content reached the caller a retry would repeat it: end with the text delivered so far.
          if (translator?.started) throw this.streamBroke(thrown, control, model, retries, translator.partialText);
          translator = undefined;
          retries = await this.backOff(thrown, control, model, retries);
        }
      }
      const last = translator.finish();
      const usage = last.usage as CompletionUsage;
      last.cost = this.account(model, usage, performance.now() - started, firstTokenMs, retries);
      finished = true;
      await this.log?.success(facts(last.id, request, model, true, started, retries), {
        response: {
          content: translator.partialText,
          tool_calls: translator.toolCalls,
          finish_reason: last.choices[0]?.finish_reason ?? null,
        },
        usage,
        cost: last.cost,
        time_to_first_token_ms: firstTokenMs,
      });
      if (last.choices[0]?.finish_reason === "content_filter") {
        this.raiseOnIntervention(model, last.guardrail_trace, translator.partialText, last.id);
      }
      yield last;
    } catch (error) {
      if (!finished) {
        this.store.addRetries(retries);
        await this.log?.failure(facts(failedId(), request, model, true, started, retries), error);
      }
      throw error;
    } finally {
      // A caller that stops iterating early leaves the HTTP/2 stream open: cancel it.
      control.dispose(!finished);
    }
  }

  /** Resolves (once) the runtime and the model for this request. */
  private model(request: ChatCompletionRequest): ModelRuntime {
    this.runtime ??= new Runtime(this.config, this.warn, this.client);
    return this.runtime.model(request.model);
  }

  private async openStream(input: ConverseInput, control: CallControl): Promise<ConverseStreamCommandOutput> {
    return (this.runtime as Runtime).client.send(new ConverseStreamCommand(input), {
      abortSignal: control.sdkSignal,
      ...SHARED_SESSION,
    });
  }

  /** Waits before the next attempt and returns the new retry count, or throws the final error. */
  private async backOff(thrown: unknown, control: CallControl, model: ModelRuntime, retries: number): Promise<number> {
    if (control.aborted) throw control.abortError();
    const failure: ClassifiedError = classifyError(thrown, model.errors, retries + 1);
    const delay = retryDelayMs(failure, retries, this.retry, this.random);
    if (delay === undefined) throw failure.error;
    try {
      await this.sleep(delay, control.signal);
    } catch (error) {
      if (control.aborted) throw control.abortError();
      throw error;
    }
    return retries + 1;
  }

  private streamBroke(thrown: unknown, control: CallControl, model: ModelRuntime, retries: number, text: string) {
    if (control.aborted) return control.abortError(text);
    return withPartialText(classifyError(thrown, model.errors, retries + 1).error, text);
  }

  private account(
    model: ModelRuntime,
    usage: CompletionUsage,
    latencyMs: number,
    timeToFirstTokenMs: number | undefined,
    retries: number,
  ): number {
    const cost = costOf(usage, model.prices);
    const { cached_tokens: cacheRead, cache_write_tokens: cacheWrite } = usage.prompt_tokens_details;
    const call: CallRecord = {
      model: model.profile.sentId,
      latencyMs,
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      cost,
      retries,
    };
    if (timeToFirstTokenMs !== undefined) call.timeToFirstTokenMs = timeToFirstTokenMs;
    this.store.record(call);
    return cost;
  }

  private raiseOnIntervention(model: ModelRuntime, trace: unknown, outputText: string, id: string): void {
    if (!model.profile.settings.guardrail_config?.raise_on_intervention) return;
    throw new GuardrailInterventionError(
      `Guardrail ${model.profile.settings.guardrail_config.guardrailIdentifier} intervened on ${model.profile.sentId} (${id}).`,
      { trace, outputText },
    );
  }

  /** Each distinct warning once per instance: a setting dropped on every call is said once. */
  private readonly warn = (message: string): void => {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.onWarning(message);
  };
}

function facts(
  id: string,
  request: ChatCompletionRequest,
  model: ModelRuntime,
  stream: boolean,
  started: number,
  retries: number,
): CallFacts {
  return { id, model: model.profile.sentId, stream, request, started, retries };
}

function failedId(): string {
  return `failed-${crypto.randomUUID()}`;
}
