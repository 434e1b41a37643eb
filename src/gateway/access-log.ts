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
}

export type AccessLogger = (entry: AccessLogEntry) => void;

export const stderrAccessLog: AccessLogger = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};
