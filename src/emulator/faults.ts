/**
 * Fault injection (POST /_emulator/faults): errors for the next N calls, errors after K stream events, delays,
 * and connection faults (a reset, or a silent half-open connection), each for the calls of one region, access
 * key, model or operation, and with a probability.
 */
import { bedrockError, streamExceptionFrame } from "./bedrock-errors.js";
import type { ConnectionControl } from "./connection.js";
import { isStreamingOperation } from "./runtime-routes.js";
import type { EmulatorState } from "./state.js";
import type { CallScope, ConnectionFault, EmulatorError, FaultRule, StreamEvent } from "./types.js";

/** Operations a fault rule may name. "*" stands for every Bedrock Runtime operation, not STS or SSO. */
export const RUNTIME_FAULT_OPERATIONS = [
  "Converse",
  "ConverseStream",
  "InvokeModel",
  "InvokeModelWithResponseStream",
  "ApplyGuardrail",
  "CountTokens",
] as const;
export const CREDENTIAL_FAULT_OPERATIONS = [
  "AssumeRole",
  "AssumeRoleWithWebIdentity",
  "GetCallerIdentity",
  "GetRoleCredentials",
] as const;

function matchesOperation(rule: { operation: string }, operation: string): boolean {
  if (rule.operation === operation) return true;
  return rule.operation === "*" && (RUNTIME_FAULT_OPERATIONS as readonly string[]).includes(operation);
}

/** A model id names a model by itself, or through a geography profile ("us." + id). */
function sameModel(sent: string | undefined, wanted: string): boolean {
  return sent !== undefined && (sent === wanted || sent.endsWith(`.${wanted}`));
}

/** Whether a call of `operation` within `scope` is one the rule (a fault or a quota) is about. */
export function inScope(rule: CallScope & { operation: string }, operation: string, scope: CallScope): boolean {
  if (!matchesOperation(rule, operation)) return false;
  if (rule.region !== undefined && rule.region !== scope.region) return false;
  if (rule.accessKeyId !== undefined && rule.accessKeyId !== scope.accessKeyId) return false;
  return rule.modelId === undefined || sameModel(scope.modelId, rule.modelId);
}

/**
 * Consumes one use of the first rule that matches the call and, for a rule with a probability, whose draw hits;
 * a rule whose draw misses leaves its count alone and lets the next rule try.
 */
export function takeFault(state: EmulatorState, operation: string, scope: CallScope = {}): FaultRule | undefined {
  const index = state.faults.findIndex(
    (rule) =>
      rule.count > 0 &&
      inScope(rule, operation, scope) &&
      (rule.probability === undefined || Math.random() < rule.probability),
  );
  const rule = state.faults[index];
  if (!rule) return undefined;
  rule.count -= 1;
  if (rule.count <= 0) state.faults.splice(index, 1);
  return { ...rule };
}

/** Waits `ms`, or less when the signal aborts (the client went away): the emulator stops working for no one. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

export function faultError(rule: FaultRule): EmulatorError | undefined {
  return rule.error ? bedrockError(rule.error, rule.message) : undefined;
}

/** Extra response headers the fault (or quota) asks for (Retry-After on throttling). */
export function faultHeaders(rule: { retryAfterSeconds?: number }): Record<string, string> {
  return rule.retryAfterSeconds === undefined ? {} : { "retry-after": String(rule.retryAfterSeconds) };
}

/** Applies a connection fault; a silent connection is left open, answering nothing. */
export function breakConnection(connection: ConnectionControl | undefined, fault: ConnectionFault): void {
  if (fault === "reset") connection?.reset();
  else connection?.silence();
}

/** True when the fault acts inside a stream (after K events) rather than before the response. */
export function isMidStreamFault(rule: FaultRule, operation: string): boolean {
  return rule.afterEvents !== undefined && isStreamingOperation(operation);
}

/**
 * Passes `afterEvents` events through, then stalls for the fault's delay, then ends the stream with its error as
 * an exception frame (or, with no error, carries on). A stream shorter than K events gets the error at its end.
 */
export async function* applyMidStreamFault(
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  rule: FaultRule,
  operation: string,
  signal: AbortSignal,
  connection?: ConnectionControl,
): AsyncGenerator<StreamEvent> {
  const afterEvents = rule.afterEvents ?? 0;
  const error = faultError(rule);
  let delivered = 0;
  let triggered = false;
  let cut = false;
  const trigger = async (): Promise<StreamEvent | undefined> => {
    triggered = true;
    if (rule.delayMs) await delay(rule.delayMs, signal);
    if (rule.connection) {
      // The events before the fault must reach the client first: it is a fault "after K events".
      await connection?.flushed();
      breakConnection(connection, rule.connection);
      cut = true;
      return undefined;
    }
    return error && streamExceptionFrame(error, operation);
  };
  for await (const event of events) {
    if (delivered === afterEvents) {
      const exception = await trigger();
      if (exception || cut || signal.aborted) {
        if (exception) yield exception;
        return;
      }
    }
    yield event;
    delivered += 1;
  }
  if (!triggered) {
    const exception = await trigger();
    if (exception) yield exception;
  }
}
