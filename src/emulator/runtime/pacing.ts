/**
 * Paced streams for load tests (POST /_emulator/pace, or `pace` on a scripted reply): the reply's text goes out one
 * word per content event, and content event k leaves at start + k / eventsPerSecond, measured from the first one,
 * so the schedule does not drift. Other events (message start/stop, metadata) go out as soon as they are reached.
 * One shared timer wakes every waiting stream, bucketed by millisecond, so a thousand paced streams cost a few
 * timers per millisecond rather than one per event.
 */
import type { EmulatorState } from "../state.js";
import type { PaceRule, ScriptedResponse } from "../types.js";

/** Streaming operations a pace rule can name. */
export type StreamOperation = "ConverseStream" | "InvokeModelWithResponseStream";

const PANGRAM = "The quick brown fox jumps over the lazy dog.".split(" ");

const waiting = new Map<number, (() => void)[]>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Number.POSITIVE_INFINITY;

function arm(at: number): void {
  if (timer !== undefined && at >= timerAt) return;
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(fire, Math.max(0, at - performance.now()));
}

function fire(): void {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  for (const [at, wakers] of waiting) {
    if (at > now) {
      next = Math.min(next, at);
      continue;
    }
    waiting.delete(at);
    for (const wake of wakers) wake();
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next);
}

/** Resolves at `deadline` (performance.now() time), or at once when the signal aborts. */
export function sleepUntil(deadline: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || deadline <= performance.now()) return Promise.resolve();
  return new Promise((resolve) => {
    // One listener at a time per stream: removed when the timer wakes it, so long streams do not pile them up.
    const wake = () => {
      signal?.removeEventListener("abort", wake);
      resolve();
    };
    const at = Math.ceil(deadline);
    const wakers = waiting.get(at);
    if (wakers) wakers.push(wake);
    else waiting.set(at, [wake]);
    arm(at);
    signal?.addEventListener("abort", wake, { once: true });
  });
}

/**
 * Lets content items through at the given rate, rendering each as it leaves (so a long stream is never built up
 * front); everything else passes straight on.
 */
export async function* paced<T, E>(
  items: Iterable<T>,
  isContent: (item: T) => boolean,
  render: (item: T) => E,
  eventsPerSecond: number,
  signal?: AbortSignal,
): AsyncGenerator<E> {
  const interval = 1000 / eventsPerSecond;
  let start = 0;
  let sent = 0;
  for (const item of items) {
    if (isContent(item)) {
      if (sent === 0) start = performance.now();
      else await sleepUntil(start + sent * interval, signal);
      if (signal?.aborted) return;
      sent += 1;
    }
    yield render(item);
  }
}

/** The pace of one stream: the scripted reply's own, else the control API's rule (one use taken from it). */
export function takePace(
  state: EmulatorState,
  operation: StreamOperation,
  script: ScriptedResponse | undefined,
): { eventsPerSecond: number; events?: number } | undefined {
  if (script?.pace) return script.pace;
  const rule: PaceRule | undefined = state.pace;
  if (!rule || (rule.operation !== "*" && rule.operation !== operation)) return undefined;
  if (rule.count !== undefined) {
    rule.count -= 1;
    if (rule.count <= 0) state.pace = undefined;
  }
  return { eventsPerSecond: rule.eventsPerSecond, events: rule.events };
}

/** `events` words: the given text's words cycled, or the pangram's when there is no text. */
export function pacedText(text: string | undefined, events: number | undefined): string | undefined {
  if (events === undefined) return text;
  const words = text?.split(/\s+/).filter(Boolean) ?? [];
  const source = words.length > 0 ? words : PANGRAM;
  return Array.from({ length: events }, (_, i) => source[i % source.length]).join(" ");
}
