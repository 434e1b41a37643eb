/**
 * log_completions: one JSON file per call under log_completions_folder, with the request, the response (or the
 * error), usage, cost and latency. Only the caller's request and Bedrock's answer go in: never the configuration,
 * so no credential can end up in a file. A file that cannot be written is reported, never fails the call.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AnthropicMessage } from "../bedrock/anthropic-native.js";
import { withoutControls } from "./call-control.js";
import type { CreateEmbeddingResponse } from "./embed.js";
import type { ChatCompletion, ChatCompletionRequest, CompletionUsage } from "./types.js";

/** What a stream delivered, assembled. */
export interface StreamedResponse {
  content: string;
  tool_calls: { id: string; name: string; arguments: string }[];
  finish_reason: string | null;
}

/** What every entry says about its call. */
export interface CallFacts {
  id: string;
  model: string;
  stream: boolean;
  /** The chat request, or the Messages API body sent natively (as sent to Bedrock). */
  request: ChatCompletionRequest | Record<string, unknown>;
  /** performance.now() when the call started. */
  started: number;
  retries: number;
}

export interface CallOutcome {
  response: ChatCompletion | StreamedResponse | AnthropicMessage | CreateEmbeddingResponse;
  usage?: CompletionUsage;
  cost?: number;
  time_to_first_token_ms?: number;
}

export class CompletionLog {
  private ready: Promise<unknown> | undefined;
  private seq = 0;

  constructor(
    private readonly folder: string,
    private readonly onError: (message: string) => void,
  ) {}

  success(facts: CallFacts, outcome: CallOutcome): Promise<void> {
    return this.write(facts, outcome);
  }

  failure(facts: CallFacts, error: unknown): Promise<void> {
    const { name = "Error", message = String(error), requestId } = error as Partial<Record<string, string>>;
    return this.write(facts, { error: { name, message, ...(requestId ? { requestId } : {}) } });
  }

  private async write(facts: CallFacts, outcome: object): Promise<void> {
    const { id, model, stream, request, started, retries } = facts;
    const entry = {
      id,
      model,
      stream,
      request: withoutControls(request),
      ...outcome,
      latency_ms: performance.now() - started,
      retries,
    };
    try {
      this.ready ??= mkdir(this.folder, { recursive: true });
      await this.ready;
      this.seq += 1;
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = join(this.folder, `${stamp}-${String(this.seq).padStart(4, "0")}-${safeName(id)}.json`);
      await writeFile(file, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      this.onError(`log_completions: cannot write to ${this.folder}: ${(error as Error).message}`);
    }
  }
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80);
}
