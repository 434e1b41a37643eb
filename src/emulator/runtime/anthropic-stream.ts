/** Anthropic's streaming events for InvokeModelWithResponseStream, each wrapped as a Bedrock "chunk". */
import {
  anthropicBlock,
  anthropicModelName,
  anthropicStopReason,
  anthropicUsage,
  messageId,
} from "./anthropic-response.js";
import { jsonFragments, textChunks, textPieces } from "./converse.js";
import { invocationMetrics } from "./invoke-metrics.js";
import type { ModelSpec } from "./models.js";
import type { ContentBlock, Turn } from "./shapes.js";

type Json = Record<string, unknown>;

/** Events are made as the stream is read, so a long (paced) stream never holds all of them at once. */
function* blockEvents(block: ContentBlock, index: number, turn: Turn): Generator<Json> {
  const full = anthropicBlock(block);
  const delta = (d: Json): Json => ({ type: "content_block_delta", index, delta: d });
  const start = (contentBlock: Json): Json => ({ type: "content_block_start", index, content_block: contentBlock });
  if (full.type === "tool_use") {
    yield start({ ...full, input: {} });
    for (const fragment of jsonFragments(JSON.stringify(full.input ?? {}))) {
      yield delta({ type: "input_json_delta", partial_json: fragment });
    }
  } else if (full.type === "thinking") {
    yield start({ type: "thinking", thinking: "", signature: "" });
    for (const chunk of textChunks(String(full.thinking ?? "")))
      yield delta({ type: "thinking_delta", thinking: chunk });
    yield delta({ type: "signature_delta", signature: full.signature });
  } else if (full.type === "redacted_thinking") {
    // Redacted reasoning arrives whole in its start event, with no deltas.
    yield start(full);
  } else {
    yield start({ type: "text", text: "" });
    for (const chunk of textPieces(String(full.text ?? ""), turn)) yield delta({ type: "text_delta", text: chunk });
  }
  yield { type: "content_block_stop", index };
}

export function* anthropicStreamEvents(turn: Turn, spec: ModelSpec): Generator<Json> {
  const usage = anthropicUsage(turn);
  yield {
    type: "message_start",
    message: {
      id: messageId(),
      type: "message",
      role: "assistant",
      model: anthropicModelName(spec),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  };
  for (const [index, block] of turn.content.entries()) yield* blockEvents(block, index, turn);
  yield {
    type: "message_delta",
    delta: { stop_reason: anthropicStopReason(turn), stop_sequence: turn.stopSequence ?? null },
    usage: { output_tokens: turn.usage.outputTokens },
  };
  yield { type: "message_stop", "amazon-bedrock-invocationMetrics": invocationMetrics(turn) };
}
