/**
 * One streamed reply through the real client path (LLM.stream): text is written as it arrives and the
 * pieces a conversation needs afterwards (full text, usage, cost, finish reason, latency) are collected.
 */
import type { LLM } from "../llm/index.js";
import type { ChatMessage, CompletionUsage, FinishReason } from "../llm/types.js";
import { styleFor } from "./style.js";

export interface StreamedReply {
  text: string;
  usage: CompletionUsage | null;
  cost: number | undefined;
  finishReason: FinishReason | null;
  latencyMs: number;
}

export interface ReplyWriters {
  /** The reply's text, piece by piece. */
  text: (piece: string) => void;
  /** The model's reasoning, when thinking is on. */
  reasoning?: (piece: string) => void;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Per-call model ("bedrock/<id>"), instead of the configured one. */
  model?: string;
}

export async function streamReply(
  llm: LLM,
  messages: ChatMessage[],
  write: ReplyWriters | ((piece: string) => void),
  options: StreamOptions = {},
): Promise<StreamedReply> {
  const writers = typeof write === "function" ? { text: write } : write;
  const started = performance.now();
  const reply: StreamedReply = { text: "", usage: null, cost: undefined, finishReason: null, latencyMs: 0 };
  const request = {
    messages,
    ...(options.signal && { signal: options.signal }),
    ...(options.model && { model: options.model }),
  };
  for await (const chunk of llm.stream(request)) {
    for (const choice of chunk.choices) {
      if (choice.delta.reasoning_content) writers.reasoning?.(choice.delta.reasoning_content);
      const piece = choice.delta.content;
      if (piece) {
        reply.text += piece;
        writers.text(piece);
      }
      if (choice.finish_reason) reply.finishReason = choice.finish_reason;
    }
    if (chunk.usage) reply.usage = chunk.usage;
    if (chunk.cost !== undefined) reply.cost = chunk.cost;
  }
  reply.latencyMs = performance.now() - started;
  return reply;
}

export interface TerminalWriters extends ReplyWriters {
  /** Ends the line the reply (or its reasoning) left open, so that what follows, an error say, starts its own. */
  endLine(): void;
}

/** Reply text to stdout; reasoning (thinking models) dimmed on stderr, so stdout stays the answer alone. */
export function terminalWriters(): TerminalWriters {
  const dim = styleFor(process.stderr).dim;
  let open: NodeJS.WriteStream | undefined; // the stream whose last line is unfinished
  const write = (stream: NodeJS.WriteStream, piece: string, shown = piece) => {
    stream.write(shown);
    open = piece.endsWith("\n") ? undefined : stream;
  };
  return {
    text: (piece) => write(process.stdout, piece),
    reasoning: (piece) => write(process.stderr, piece, dim(piece)),
    endLine: () => {
      open?.write("\n");
      open = undefined;
    },
  };
}
