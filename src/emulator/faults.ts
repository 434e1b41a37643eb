/** Fault injection (POST /_emulator/faults): errors for the next N calls, errors after K stream events, delays. */
import { bedrockError, streamExceptionFrame } from "./bedrock-errors.js";
import { isStreamingOperation } from "./runtime-routes.js";
import type { EmulatorState } from "./state.js";
import type { EmulatorError, FaultRule, StreamEvent } from "./types.js";

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

function matches(rule: FaultRule, operation: string): boolean {
  if (rule.operation === operation) return true;
  return rule.operation === "*" && (RUNTIME_FAULT_OPERATIONS as readonly string[]).includes(operation);
}

/** Consumes one use of the first rule matching the operation, if any. */
export function takeFault(state: EmulatorState, operation: string): FaultRule | undefined {
  const index = state.faults.findIndex((rule) => rule.count > 0 && matches(rule, operation));
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

/** Extra response headers the fault asks for (Retry-After on throttling). */
export function faultHeaders(rule: FaultRule): Record<string, string> {
  return rule.retryAfterSeconds === undefined ? {} : { "retry-after": String(rule.retryAfterSeconds) };
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
): AsyncGenerator<StreamEvent> {
  const afterEvents = rule.afterEvents ?? 0;
  const error = faultError(rule);
  let delivered = 0;
  let triggered = false;
  const trigger = async (): Promise<StreamEvent | undefined> => {
    triggered = true;
    if (rule.delayMs) await delay(rule.delayMs, signal);
    return error && streamExceptionFrame(error, operation);
  };
  for await (const event of events) {
    if (delivered === afterEvents) {
      const exception = await trigger();
      if (exception || signal.aborted) {
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
