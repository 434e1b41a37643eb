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

function blockEvents(block: ContentBlock, index: number, turn: Turn): Json[] {
  const full = anthropicBlock(block);
  const delta = (d: Json): Json => ({ type: "content_block_delta", index, delta: d });
  const start = (contentBlock: Json): Json => ({ type: "content_block_start", index, content_block: contentBlock });
  const events: Json[] = [];
  if (full.type === "tool_use") {
    events.push(start({ ...full, input: {} }));
    for (const fragment of jsonFragments(JSON.stringify(full.input ?? {}))) {
      events.push(delta({ type: "input_json_delta", partial_json: fragment }));
    }
  } else if (full.type === "thinking") {
    events.push(start({ type: "thinking", thinking: "", signature: "" }));
    for (const chunk of textChunks(String(full.thinking ?? ""))) {
      events.push(delta({ type: "thinking_delta", thinking: chunk }));
    }
    events.push(delta({ type: "signature_delta", signature: full.signature }));
  } else if (full.type === "redacted_thinking") {
    // Redacted reasoning arrives whole in its start event, with no deltas.
    events.push(start(full));
  } else {
    events.push(start({ type: "text", text: "" }));
    for (const chunk of textPieces(String(full.text ?? ""), turn)) {
      events.push(delta({ type: "text_delta", text: chunk }));
    }
  }
  events.push({ type: "content_block_stop", index });
  return events;
}

export function anthropicStreamEvents(turn: Turn, spec: ModelSpec): Json[] {
  const usage = anthropicUsage(turn);
  const events: Json[] = [
    {
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
    },
  ];
  turn.content.forEach((block, index) => {
    events.push(...blockEvents(block, index, turn));
  });
  events.push({
    type: "message_delta",
    delta: { stop_reason: anthropicStopReason(turn), stop_sequence: turn.stopSequence ?? null },
    usage: { output_tokens: turn.usage.outputTokens },
  });
  events.push({ type: "message_stop", "amazon-bedrock-invocationMetrics": invocationMetrics(turn) });
  return events;
}
