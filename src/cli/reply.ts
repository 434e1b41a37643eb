/**
 * One streamed reply through the real client path (LLM.stream): text is written as it arrives and the
 * pieces a conversation needs afterwards (full text, usage, cost, finish reason, latency) are collected.
 */
import type { LLM } from "../llm/index.js";
import type { ChatMessage, CompletionUsage, FinishReason } from "../llm/types.js";

export interface StreamedReply {
  text: string;
  usage: CompletionUsage | null;
  cost: number | undefined;
  finishReason: FinishReason | null;
  latencyMs: number;
}

export async function streamReply(
  llm: LLM,
  messages: ChatMessage[],
  write: (text: string) => void,
  signal?: AbortSignal,
): Promise<StreamedReply> {
  const started = performance.now();
  const reply: StreamedReply = { text: "", usage: null, cost: undefined, finishReason: null, latencyMs: 0 };
  for await (const chunk of llm.stream(signal ? { messages, signal } : { messages })) {
    for (const choice of chunk.choices) {
      const piece = choice.delta.content;
      if (piece) {
        reply.text += piece;
        write(piece);
      }
      if (choice.finish_reason) reply.finishReason = choice.finish_reason;
    }
    if (chunk.usage) reply.usage = chunk.usage;
    if (chunk.cost !== undefined) reply.cost = chunk.cost;
  }
  reply.latencyMs = performance.now() - started;
  return reply;
}
