/**
 * log_completions: one JSON file per call under log_completions_folder, with the request, the response (or the
 * error), usage, cost and latency. Only the caller's request and Bedrock's answer go in: never the configuration,
 * so no credential can end up in a file.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatCompletion, ChatCompletionRequest, CompletionUsage } from "./types.js";

/** What a stream delivered, assembled. */
export interface StreamedResponse {
  content: string;
  tool_calls: { id: string; name: string; arguments: string }[];
  finish_reason: string | null;
}

export interface CompletionLogEntry {
  id: string;
  model: string;
  stream: boolean;
  request: ChatCompletionRequest;
  response?: ChatCompletion | StreamedResponse;
  error?: { name: string; message: string; requestId?: string };
  usage?: CompletionUsage;
  cost?: number;
  latency_ms: number;
  time_to_first_token_ms?: number;
  retries: number;
}

export class CompletionLog {
  private ready: Promise<unknown> | undefined;
  private seq = 0;

  constructor(private readonly folder: string) {}

  async write(entry: CompletionLogEntry): Promise<void> {
    this.ready ??= mkdir(this.folder, { recursive: true });
    await this.ready;
    this.seq += 1;
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = join(this.folder, `${stamp}-${String(this.seq).padStart(4, "0")}-${safeName(entry.id)}.json`);
    const { signal: _signal, ...request } = entry.request;
    await writeFile(file, `${JSON.stringify({ ...entry, request }, null, 2)}\n`, { mode: 0o600 });
  }
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80);
}
