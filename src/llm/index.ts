// STUB (contract): the core helper replaces this, keeping the exported names and signatures.
import type { LLMConfig } from "../config/types.js";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, MetricsSnapshot } from "./types.js";

export type * from "./types.js";

export interface LLMOptions {
  /** Injected sleep for retry back-off (tests use a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source in [0,1) for jitter. */
  random?: () => number;
  /** Receives warnings (dropped settings, legacy models, ...). Default: console.warn once per message. */
  onWarning?: (message: string) => void;
}

export class LLM {
  constructor(
    readonly config: LLMConfig,
    _options: LLMOptions = {},
  ) {}

  get metrics(): MetricsSnapshot {
    throw new Error("not implemented");
  }

  async completion(_request: ChatCompletionRequest): Promise<ChatCompletion> {
    throw new Error("not implemented");
  }

  // biome-ignore lint/correctness/useYield: stub
  async *stream(_request: ChatCompletionRequest): AsyncGenerator<ChatCompletionChunk> {
    throw new Error("not implemented");
  }
}
