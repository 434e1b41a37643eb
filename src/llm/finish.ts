/**
 * The finish step, the same for every entry point: a call that succeeded is priced, recorded in the metrics and
 * the completion log, and raises GuardrailInterventionError when a guardrail intervened and the configuration
 * asks for that; a call that failed counts its retries and is logged with its error.
 */
import { GuardrailInterventionError } from "../errors.js";
import type { Call } from "./call.js";
import type { CallOutcome, CompletionLog } from "./completion-log.js";
import { costOf } from "./cost.js";
import type { Metrics } from "./metrics.js";
import type { RoutingStats } from "./routing/stats.js";
import type { ModelRuntime } from "./runtime.js";
import type { CallRecord, CompletionUsage, FinishReason } from "./types.js";

/** What a successful call hands to the finish step. */
export interface Finished {
  id: string;
  usage: CompletionUsage;
  finishReason: FinishReason | null | undefined;
  guardrailTrace: unknown;
  /** The reply's text (for GuardrailInterventionError.outputText). */
  outputText: string;
  /** Streams only. */
  timeToFirstTokenMs?: number;
  /** The price, when the reply says more than `usage` does (a native body's one-hour cache writes). */
  cost?: number;
  /** Puts the cost on the caller's result; returns what the completion log records. */
  priced(cost: number): CallOutcome;
}

export class Finisher {
  constructor(
    private readonly store: Metrics,
    private readonly log: CompletionLog | undefined,
    private readonly routing: RoutingStats,
  ) {}

  async succeed(call: Call<unknown>, finished: Finished): Promise<void> {
    const cost = this.account(call, finished);
    call.trace?.succeed(call, finished, cost);
    const outcome = finished.priced(cost);
    try {
      // No log: no await (an async step per call for nothing).
      if (this.log) await this.log.success(call.facts(finished.id), outcome);
      if (finished.finishReason === "content_filter") {
        raiseOnIntervention(call.model, finished.guardrailTrace, finished.outputText, finished.id);
      }
    } catch (error) {
      // A guardrail's intervention raised (or the log failing): the call's span ends in error.
      call.trace?.fail(call, error);
      throw error;
    }
    call.trace?.end();
  }

  /** Records a failed call; returns the error for the caller to throw. */
  async fail(call: Call<unknown>, error: unknown): Promise<unknown> {
    this.store.addRetries(call.retries);
    call.trace?.fail(call, error);
    await this.log?.failure(call.facts(`failed-${crypto.randomUUID()}`), error);
    return error;
  }

  private account(call: Call<unknown>, finished: Finished): number {
    const { usage } = finished;
    const cost = finished.cost ?? costOf(usage, call.model.prices);
    const record: CallRecord = {
      model: call.model.profile.sentId,
      latencyMs: performance.now() - call.started,
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cacheReadTokens: usage.prompt_tokens_details.cached_tokens,
      cacheWriteTokens: usage.prompt_tokens_details.cache_write_tokens,
      cost,
      retries: call.retries,
      servedBy: call.target.name,
    };
    if (call.fellBackFrom.length > 0) record.fellBackFrom = [...call.fellBackFrom];
    if (finished.timeToFirstTokenMs !== undefined) record.timeToFirstTokenMs = finished.timeToFirstTokenMs;
    this.store.record(record);
    this.routing.count(call.target.name, "served");
    return cost;
  }
}

function raiseOnIntervention(model: ModelRuntime, trace: unknown, outputText: string, id: string): void {
  if (!model.profile.settings.guardrail_config?.raise_on_intervention) return;
  throw new GuardrailInterventionError(
    `Guardrail ${model.profile.settings.guardrail_config.guardrailIdentifier} intervened on ${model.profile.sentId} (${id}).`,
    { trace, outputText },
  );
}
