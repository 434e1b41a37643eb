/**
 * The one path every call takes: begin (check the request, resolve the model, translate, arm the timeout), the
 * attempt runner (send, retry transient failures until the call commits), then the finish step (price, record,
 * log, guardrail) or the failure record. The entry points (completion and stream, the native Anthropic calls,
 * embed) supply only what differs: their attempt and how their result reads; every one is routed. Each
 * section's model, credentials and client are resolved once, on its first call.
 */
import type { BedrockRuntimeClient, InvokeModelCommandInput } from "@aws-sdk/client-bedrock-runtime";
import type { Tracer } from "@opentelemetry/api";
import { type AnthropicMessagesBody, toBedrockAnthropicBody } from "../bedrock/anthropic-native.js";
import { buildConverseInput } from "../bedrock/request.js";
import type { ConverseInput } from "../bedrock/types.js";
import { type SectionTable, sectionsOf } from "../config/index.js";
import type { LLMConfig } from "../config/types.js";
import { type BedrockLLMError, ValidationError } from "../errors.js";
import { type Attempt, AttemptRunner, type Sleep } from "./attempts.js";
import { Call, type CallPlan } from "./call.js";
import { CallControl, withoutControls } from "./call-control.js";
import { checkRequest } from "./check-request.js";
import { CompletionLog } from "./completion-log.js";
import { checkEmbeddingRequest, type EmbeddingRequest, type EmbedPlan, planEmbedding } from "./embed.js";
import { type Finished, Finisher } from "./finish.js";
import { Metrics } from "./metrics.js";
import { invokeInput, type NativeCallOptions, requireClaude } from "./native-anthropic.js";
import { sleep as defaultSleep } from "./retry.js";
import { acceptsPrefill, withPrefill } from "./routing/prefill.js";
import { Route } from "./routing/route.js";
import { Router } from "./routing/router.js";
import { RoutingStats } from "./routing/stats.js";
import { type ModelRuntime, Runtime } from "./runtime.js";
import { CallTracing } from "./tracing.js";
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
   * connection). Create it with `maxAttempts: 1`: the LLM runs its own retries. It serves this section only: the
   * sections it routes to (fallbacks, deployments) build their own.
   */
  client?: BedrockRuntimeClient;
  /**
   * The sections `fallbacks` and `deployments` name, by name ("llm" for [llm]). Not needed for a section loaded
   * by loadConfig / parseConfig / configFromObject, which knows the file's other sections.
   */
  sections?: SectionTable;
  /** Clock for cooldowns, in milliseconds (tests move it instead of waiting). Default performance.now. */
  now?: () => number;
  /**
   * The OpenTelemetry tracer for the calls' spans (GenAI semantic conventions; docs/LLM.md, Traces). Default: the
   * global API's tracer "bedrock-llm", which records nothing until an OpenTelemetry SDK is registered.
   */
  tracer?: Tracer;
}

export class Pipeline {
  private readonly stats = new RoutingStats();
  private readonly store = new Metrics(this.stats);
  private readonly warned = new Set<string>();
  private readonly router: Router;
  private readonly attempts: AttemptRunner;
  private readonly finisher: Finisher;
  private readonly tracing: CallTracing;
  private readonly onWarning: (message: string) => void;

  constructor(
    private readonly config: LLMConfig,
    options: LLMOptions,
  ) {
    this.onWarning = options.onWarning ?? ((message) => console.warn(`bedrock-llm: ${message}`));
    // Each section's credentials, client and models are resolved on its first call, not here.
    const route = new Route(config, options.sections ?? sectionsOf(config), (section, root) =>
      root ? new Runtime(section, this.warn, options.client) : new Runtime(section, this.warn),
    );
    this.router = new Router(route, this.stats, this.warn, options.now ?? (() => performance.now()));
    this.attempts = new AttemptRunner(this.router, options.sleep ?? defaultSleep, options.random ?? Math.random);
    const log = config.log_completions ? new CompletionLog(config.log_completions_folder, this.warn) : undefined;
    this.finisher = new Finisher(this.store, log, this.stats);
    this.tracing = new CallTracing(options.tracer);
  }

  get metrics(): MetricsSnapshot {
    return this.store.snapshot();
  }

  /**
   * A call for this request, translated for its first target and with its timeout running. Made at once (no
   * promise) unless a section must first look up an application inference profile's model: most calls take no
   * async step here. Throws the request's validation errors.
   */
  begin(
    request: ChatCompletionRequest,
    stream: boolean,
    operation: "chat" | "count_tokens" = "chat",
  ): Call | Promise<Call> {
    checkRequest(request);
    // An application inference profile's model is looked up (once per section) before the model is first resolved.
    const preparing = this.router.route.prepare(request.model);
    if (preparing) return preparing.then(() => this.placed(request, stream, operation));
    return this.placed(request, stream, operation);
  }

  private placed(request: ChatCompletionRequest, stream: boolean, operation: "chat" | "count_tokens"): Call {
    const plan: CallPlan<ConverseInput> = {
      translate: (runtime, prefill) => {
        const model = runtime.model(request.model);
        const asked =
          prefill === undefined ? request : { ...request, messages: withPrefill(request.messages, prefill) };
        return { model, input: buildConverseInput(asked, model.profile, stream, this.warn) };
      },
      continues: (runtime) => acceptsPrefill(runtime.model(request.model).profile, request),
    };
    const placement = this.router.first(plan);
    const control = CallControl.of(request, this.config.timeout);
    const call = new Call(request, stream, this.router.route, plan, placement, control);
    call.trace = this.tracing.start(operation, call);
    return call;
  }

  /**
   * A call of a Messages API body sent natively to the section's Claude model: the body Bedrock takes (what it
   * refuses left out, said once), as InvokeModel's input with each target's model, guardrail, tier and latency
   * settings. Routed like any call (fallbacks and deployments whose model is Claude; a target whose model is not
   * is left out); a stream broken after content does not go on elsewhere (no prefill for a native body).
   */
  beginNative(
    body: AnthropicMessagesBody,
    options: NativeCallOptions,
    stream: boolean,
    operation: "chat" | "count_tokens" = "chat",
  ): Call<InvokeModelCommandInput> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ValidationError("The native Anthropic calls take a Messages API body: an object with messages.");
    }
    this.claudeModel();
    const prepared = toBedrockAnthropicBody(body, options.betas);
    const { fields, betas } = prepared.omitted;
    if (fields.length > 0) this.warn(`Bedrock's Anthropic body does not take ${fields.join(", ")}: left out.`);
    if (betas.length > 0) this.warn(`Bedrock does not offer the Anthropic betas ${betas.join(", ")}: left out.`);
    const plan: CallPlan<InvokeModelCommandInput> = {
      translate: (runtime) => {
        const model = runtime.model();
        requireClaude(model);
        return { model, input: invokeInput(model, prepared.body) };
      },
    };
    const placement = this.router.first(plan);
    const control = CallControl.of(options, this.config.timeout);
    const call = new Call(prepared.body, stream, this.router.route, plan, placement, control);
    call.trace = this.tracing.start(operation, call);
    return call;
  }

  /**
   * A call of embed(): the request checked against each target's embedding model, its runs ready to send. A target
   * on another model starts its runs afresh (vectors of two models never mix); a retry on the same one carries on.
   */
  async beginEmbed(request: EmbeddingRequest): Promise<Call<EmbedPlan>> {
    checkEmbeddingRequest(request);
    // An application inference profile's model is looked up (once per section) before the model is first resolved.
    await this.router.route.prepare(request.model ?? undefined);
    const plan: CallPlan<EmbedPlan> = {
      translate: (runtime) => {
        const model = runtime.model(request.model ?? undefined);
        return { model, input: planEmbedding(model, request) };
      },
    };
    const placement = this.router.first(plan);
    const control = CallControl.of(request, this.config.timeout);
    return new Call(withoutControls(request), false, this.router.route, plan, placement, control);
  }

  /** The section's own model, which the native calls need to be a Claude model (ValidationError otherwise). */
  claudeModel(): ModelRuntime {
    const model = this.router.route.root.runtime.model();
    requireClaude(model);
    return model;
  }

  /** Runs the attempt, retried and routed per the policy; resolves when the call committed. */
  run<T, Input>(call: Call<Input>, attempt: Attempt<T, Input>): Promise<T> {
    return this.attempts.run(call, attempt);
  }

  /** A failure after the call committed (stream content delivered): the typed error, with the partial text. */
  broken(call: Call<unknown>, thrown: unknown, partialText: string): BedrockLLMError {
    return this.attempts.broken(call, thrown, partialText);
  }

  /** A stream broken after content, placed to go on from its text (stream_recovery), or false. */
  recover(call: Call<unknown>, thrown: unknown, delivered: { text: string; textOnly: boolean }): Promise<boolean> {
    return this.attempts.recover(call, thrown, delivered);
  }

  finish(call: Call<unknown>, finished: Finished): Promise<void> {
    return this.finisher.succeed(call, finished);
  }

  /** Records the failed call; resolves to the error to throw (the call's `ready` rejection, when that stopped it). */
  fail(call: Call<unknown>, error: unknown): Promise<unknown> {
    return this.finisher.fail(call, call.control.refusal ?? error);
  }

  /** Each distinct warning once per instance: a setting dropped on every call is said once. */
  private readonly warn = (message: string): void => {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.onWarning(message);
  };
}
