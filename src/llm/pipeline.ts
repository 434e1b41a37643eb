/**
 * The one path every call takes: begin (check the request, resolve the model, translate, arm the timeout), the
 * attempt runner (send, retry transient failures until the call commits), then the finish step (price, record,
 * log, guardrail) or the failure record. The entry points (completion and stream, the native Anthropic calls;
 * embed later) supply only what differs: their attempt and how their result reads. Model, credentials and client
 * are resolved once, on the first call.
 */
import type { BedrockRuntimeClient, InvokeModelCommandInput } from "@aws-sdk/client-bedrock-runtime";
import { type AnthropicMessagesBody, toBedrockAnthropicBody } from "../bedrock/anthropic-native.js";
import { buildConverseInput } from "../bedrock/request.js";
import type { LLMConfig } from "../config/types.js";
import { type BedrockLLMError, ValidationError } from "../errors.js";
import { type Attempt, AttemptRunner, type Sleep } from "./attempts.js";
import { Call } from "./call.js";
import { CallControl } from "./call-control.js";
import { checkRequest } from "./check-request.js";
import { CompletionLog } from "./completion-log.js";
import { type Finished, Finisher } from "./finish.js";
import { Metrics } from "./metrics.js";
import { invokeInput, type NativeCallOptions, requireClaude } from "./native-anthropic.js";
import { sleep as defaultSleep, retrySettings } from "./retry.js";
import { type ModelRuntime, Runtime } from "./runtime.js";
import type { ChatCompletionRequest, MetricsSnapshot } from "./types.js";

export interface LLMOptions {
  /** Injected sleep for retry back-off (tests use a fake). */
  sleep?: Sleep;
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

export class Pipeline {
  private runtime: Runtime | undefined;
  private readonly store = new Metrics();
  private readonly warned = new Set<string>();
  private readonly attempts: AttemptRunner;
  private readonly finisher: Finisher;
  private readonly onWarning: (message: string) => void;

  constructor(
    private readonly config: LLMConfig,
    private readonly options: LLMOptions,
  ) {
    this.attempts = new AttemptRunner(
      retrySettings(config),
      options.sleep ?? defaultSleep,
      options.random ?? Math.random,
    );
    this.onWarning = options.onWarning ?? ((message) => console.warn(`bedrock-llm: ${message}`));
    const log = config.log_completions ? new CompletionLog(config.log_completions_folder, this.warn) : undefined;
    this.finisher = new Finisher(this.store, log);
  }

  get metrics(): MetricsSnapshot {
    return this.store.snapshot();
  }

  /** A call for this request, translated and with its timeout running. */
  async begin(request: ChatCompletionRequest, stream: boolean): Promise<Call> {
    checkRequest(request);
    this.runtime ??= new Runtime(this.config, this.warn, this.options.client);
    // An application inference profile's model is looked up (once) before the model is first resolved.
    await this.runtime.prepare(request.model);
    const model = this.runtime.model(request.model);
    const input = buildConverseInput(request, model.profile, stream, this.warn);
    const control = new CallControl(request.signal, request.timeout ?? this.config.timeout);
    return new Call(request, stream, model, this.runtime.client, input, control);
  }

  /**
   * A call of a Messages API body sent natively to the configured Claude model: the body Bedrock takes (what it
   * refuses left out, said once), as InvokeModel's input with the model's guardrail, tier and latency settings.
   */
  beginNative(body: AnthropicMessagesBody, options: NativeCallOptions, stream: boolean): Call<InvokeModelCommandInput> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ValidationError("The native Anthropic calls take a Messages API body: an object with messages.");
    }
    const model = this.claudeModel();
    const prepared = toBedrockAnthropicBody(body, options.betas);
    const { fields, betas } = prepared.omitted;
    if (fields.length > 0) this.warn(`Bedrock's Anthropic body does not take ${fields.join(", ")}: left out.`);
    if (betas.length > 0) this.warn(`Bedrock does not offer the Anthropic betas ${betas.join(", ")}: left out.`);
    const input = invokeInput(model, prepared.body);
    const control = new CallControl(options.signal, options.timeout ?? this.config.timeout);
    return new Call(prepared.body, stream, model, (this.runtime as Runtime).client, input, control);
  }

  /** The configured model, which the native calls need to be a Claude model (ValidationError otherwise). */
  claudeModel(): ModelRuntime {
    this.runtime ??= new Runtime(this.config, this.warn, this.options.client);
    const model = this.runtime.model();
    requireClaude(model);
    return model;
  }

  /** Runs the attempt, retried per the policy; resolves when the call committed. */
  run<T, Input>(call: Call<Input>, attempt: Attempt<T, Input>): Promise<T> {
    return this.attempts.run(call, attempt);
  }

  /** A failure after the call committed (stream content delivered): the typed error, with the partial text. */
  broken(call: Call<unknown>, thrown: unknown, partialText: string): BedrockLLMError {
    return this.attempts.broken(call, thrown, partialText);
  }

  finish(call: Call<unknown>, finished: Finished): Promise<void> {
    return this.finisher.succeed(call, finished);
  }

  /** Records the failed call; resolves to the error to throw. */
  fail(call: Call<unknown>, error: unknown): Promise<unknown> {
    return this.finisher.fail(call, error);
  }

  /** Each distinct warning once per instance: a setting dropped on every call is said once. */
  private readonly warn = (message: string): void => {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.onWarning(message);
  };
}
