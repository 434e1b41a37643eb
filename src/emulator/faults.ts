/** Fault injection (POST /_emulator/faults): errors for the next N calls, errors after K stream events, delays. */
import { bedrockError, streamExceptionType } from "./bedrock-errors.js";
import type { EmulatorState } from "./state.js";
import type { EmulatorError, FaultRule, StreamEvent } from "./types.js";

/** Consumes one use of the first rule matching the operation, if any. */
export function takeFault(state: EmulatorState, operation: string): FaultRule | undefined {
  const index = state.faults.findIndex(
    (rule) => rule.count > 0 && (rule.operation === "*" || rule.operation === operation),
  );
  const rule = state.faults[index];
  if (!rule) return undefined;
  rule.count -= 1;
  if (rule.count <= 0) state.faults.splice(index, 1);
  return { ...rule };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function faultError(rule: FaultRule): EmulatorError | undefined {
  return rule.error ? bedrockError(rule.error, rule.message) : undefined;
}

/** Extra response headers the fault asks for (Retry-After on throttling). */
export function faultHeaders(rule: FaultRule): Record<string, string> {
  return rule.retryAfterSeconds === undefined ? {} : { "retry-after": String(rule.retryAfterSeconds) };
}

/** Passes `afterEvents` events through, then ends the stream with the fault's error as an exception frame. */
export async function* failAfterEvents(
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  afterEvents: number,
  error: EmulatorError,
): AsyncGenerator<StreamEvent> {
  let delivered = 0;
  if (delivered < afterEvents) {
    for await (const event of events) {
      yield event;
      delivered += 1;
      if (delivered >= afterEvents) break;
    }
  }
  yield { type: "exception", exceptionType: streamExceptionType(error.errorName), message: error.message };
}
