/** Renders a Turn as a Converse response body or as ConverseStream events. */
import type { StreamEvent } from "../types.js";
import type { ContentBlock, Turn } from "./shapes.js";

const WORDS_PER_DELTA = 3;
const JSON_FRAGMENT_CHARS = 16;

export function converseResponse(turn: Turn): Record<string, unknown> {
  const body: Record<string, unknown> = {
    output: { message: { role: "assistant", content: turn.content } },
    stopReason: turn.stopReason,
    usage: turn.usage,
    metrics: { latencyMs: turn.latencyMs },
  };
  if (turn.responseFields?.final) body.additionalModelResponseFields = turn.responseFields.final;
  if (turn.trace) body.trace = turn.trace;
  if (turn.performanceConfig) body.performanceConfig = turn.performanceConfig;
  if (turn.serviceTier) body.serviceTier = turn.serviceTier;
  return body;
}

function event(eventType: string, payload: unknown): StreamEvent {
  return { type: "event", eventType, payload };
}

/** Text split after every few words, whitespace kept, so the deltas concatenate back to the text. */
export function textChunks(text: string): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_DELTA) chunks.push(words.slice(i, i + WORDS_PER_DELTA).join(""));
  return chunks.length > 0 ? chunks : [text];
}

/** Reply text as stream deltas: one word each in a paced stream (pacing.ts), else a few words each. */
export function textPieces(text: string, turn: Turn): string[] {
  if (!turn.pace) return textChunks(text);
  return text.match(/\s*\S+\s*/g) ?? [text];
}

export function jsonFragments(json: string): string[] {
  const fragments: string[] = [];
  for (let i = 0; i < json.length; i += JSON_FRAGMENT_CHARS) fragments.push(json.slice(i, i + JSON_FRAGMENT_CHARS));
  return fragments;
}

/** Events are made as the stream is read, so a long (paced) stream never holds all of them at once. */
function* blockEvents(block: ContentBlock, contentBlockIndex: number, turn: Turn): Generator<StreamEvent> {
  const delta = (d: unknown) => event("contentBlockDelta", { contentBlockIndex, delta: d });
  if (block.toolUse) {
    const { toolUseId, name, input } = block.toolUse;
    yield event("contentBlockStart", { contentBlockIndex, start: { toolUse: { toolUseId, name } } });
    for (const fragment of jsonFragments(JSON.stringify(input ?? {}))) yield delta({ toolUse: { input: fragment } });
  } else if (block.reasoningContent?.redactedContent !== undefined) {
    yield delta({ reasoningContent: { redactedContent: block.reasoningContent.redactedContent } });
  } else if (block.reasoningContent?.reasoningText) {
    const { text, signature } = block.reasoningContent.reasoningText;
    for (const chunk of textChunks(text ?? "")) yield delta({ reasoningContent: { text: chunk } });
    if (signature) yield delta({ reasoningContent: { signature } });
  } else if (block.citationsContent) {
    // As recorded: the citations first, then the cited text as text deltas, all in one content block.
    for (const citation of block.citationsContent.citations) yield delta({ citation });
    for (const part of block.citationsContent.content) {
      for (const chunk of textPieces(part.text, turn)) yield delta({ text: chunk });
    }
  } else if (typeof block.text === "string") {
    for (const chunk of textPieces(block.text, turn)) yield delta({ text: chunk });
  }
  yield event("contentBlockStop", { contentBlockIndex });
}

export function* converseStreamEvents(turn: Turn): Generator<StreamEvent> {
  yield event("messageStart", { role: "assistant" });
  for (const [index, block] of turn.content.entries()) yield* blockEvents(block, index, turn);
  const stop: Record<string, unknown> = { stopReason: turn.stopReason };
  if (turn.responseFields?.streamed) stop.additionalModelResponseFields = turn.responseFields.streamed;
  yield event("messageStop", stop);
  const metadata: Record<string, unknown> = { usage: turn.usage, metrics: { latencyMs: turn.latencyMs } };
  if (turn.trace) metadata.trace = turn.trace;
  if (turn.performanceConfig) metadata.performanceConfig = turn.performanceConfig;
  if (turn.serviceTier) metadata.serviceTier = turn.serviceTier;
  yield event("metadata", metadata);
}
