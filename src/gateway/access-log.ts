/**
 * One JSON line per request. Holds what operators need (who asked for which model, outcome, tokens, cost, time)
 * and by construction nothing else: no headers, no message contents, no error text (which may quote input).
 */
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

/** A message for the operator, once per distinct text, in the same JSON-lines stream as the access log. */
const said = new Set<string>();
function stderrOnce(level: "warn" | "error", message: string): void {
  const key = `${level}:${message}`;
  if (said.has(key)) return;
  said.add(key);
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
  if (o.model !== undefined) entry.model = o.model;
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
