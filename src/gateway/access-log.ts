/**
 * One JSON line per request. Holds what operators need (who asked for which model, outcome, tokens, cost, time)
 * and by construction nothing else: no headers, no message contents, no error text (which may quote input).
 */
import { clip } from "./clip.js";

export interface AccessLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  /** The virtual key's name (never the key). */
  key?: string;
  model?: string;
  stream?: boolean;
  prompt_tokens?: number;
  completion_tokens?: number;
  cached_tokens?: number;
  cache_write_tokens?: number;
  cost?: number;
  finish_reason?: string;
  /** Kind of error (as counted in /metrics), never its message. */
  error?: string;
  /** The configuration section that served the call ("llm" or NAME), after any fallback. */
  served_by?: string;
  /** For a call cut short: "client" (it left) or "server" (the gateway's shutdown ended it). */
  ended_by?: "client" | "server";
}

export type AccessLogger = (entry: AccessLogEntry) => void;

export const stderrAccessLog: AccessLogger = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};

/**
 * Operator messages print once per distinct cause: the dedup key leaves out what differs per request (AWS request
 * ids, UUIDs, timestamps, durations), and the set of causes seen is bounded (least recently seen forgotten first)
 * and forgets a cause after an hour, so a cause that persists is reminded hourly and memory stays flat.
 */
export class OncePer {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxCauses = 512,
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time a cause is seen (again after the window, or after it was forgotten). */
  first(message: string): boolean {
    const key = causeOf(message);
    const at = this.now();
    const last = this.seen.get(key);
    if (last !== undefined && at - last < this.windowMs) {
      // Refresh its place in the LRU order, not its time: the reminder still comes after the window.
      this.seen.delete(key);
      this.seen.set(key, last);
      return false;
    }
    this.seen.delete(key);
    this.seen.set(key, at);
    if (this.seen.size > this.maxCauses) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** What stays of a message when its per-request values are taken out: the cause. */
export function causeOf(message: string): string {
  return message
    .replace(/\(AWS request id: [^)]*\)/gi, "(AWS request id)")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z?\b/g, "<time>")
    .replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, "<duration>")
    .replace(/\b(req|resp|chatcmpl|msg|call|toolu)[-_][A-Za-z0-9_-]{6,}\b/g, "$1-<id>");
}

const operatorCauses = new OncePer();
function stderrOnce(level: "warn" | "error", message: string): void {
  if (!operatorCauses.first(`${level}:${message}`)) return;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message })}\n`);
}

/** A warning from the library. */
export const stderrWarning = (message: string): void => stderrOnce("warn", message);

/** The cause of an operator-side failure (credentials, access, configuration), which clients only see summarised. */
export const stderrOperatorError = (message: string): void => stderrOnce("error", message);

/** The entry for one request, from what its handler recorded. */
export function accessLogEntry(
  method: string,
  path: string,
  status: number,
  latencyMs: number,
  o: {
    key?: string;
    model?: string;
    stream?: boolean;
    usage?: {
      prompt_tokens: number;
      completion_tokens: number;
      prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number };
    } | null;
    cost?: number;
    finishReason?: string;
    errorKind?: string;
    servedBy?: string;
    endedBy?: "client" | "server";
  },
): AccessLogEntry {
  const entry: AccessLogEntry = {
    time: new Date().toISOString(),
    method,
    path,
    status,
    latency_ms: Math.round(latencyMs * 100) / 100,
  };
  if (o.key !== undefined) entry.key = o.key;
  if (o.model !== undefined) entry.model = clip(o.model);
  if (o.stream !== undefined) entry.stream = o.stream;
  if (o.usage) {
    entry.prompt_tokens = o.usage.prompt_tokens;
    entry.completion_tokens = o.usage.completion_tokens;
    entry.cached_tokens = o.usage.prompt_tokens_details?.cached_tokens ?? 0;
    entry.cache_write_tokens = o.usage.prompt_tokens_details?.cache_write_tokens ?? 0;
  }
  if (o.cost !== undefined) entry.cost = o.cost;
  if (o.finishReason) entry.finish_reason = o.finishReason;
  if (o.errorKind) entry.error = o.errorKind;
  if (o.servedBy) entry.served_by = o.servedBy;
  if (o.endedBy) entry.ended_by = o.endedBy;
  return entry;
}
