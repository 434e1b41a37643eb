/** Amazon Nova's native InvokeModel body (schemaVersion "messages-v1"): Converse-like, with snake_case sampling. */

import { textPieces } from "./converse.js";
import { malformed } from "./errors.js";
import { invocationMetrics } from "./invoke-metrics.js";
import { type ContentBlock, type ConverseBody, isRecord, type Turn } from "./shapes.js";

export function novaToConverse(raw: unknown): ConverseBody {
  if (!isRecord(raw)) throw malformed("#: expected type: JSONObject");
  if (raw.messages === undefined) throw malformed("#: required key [messages] not found");
  if (raw.schemaVersion !== undefined && raw.schemaVersion !== "messages-v1") {
    throw malformed(`#/schemaVersion: ${String(raw.schemaVersion)} is not a valid enum value`);
  }
  const config = isRecord(raw.inferenceConfig) ? raw.inferenceConfig : {};
  const body: ConverseBody = {
    messages: raw.messages as ConverseBody["messages"],
    inferenceConfig: {
      maxTokens: (config.max_new_tokens ?? config.maxTokens) as number | undefined,
      temperature: config.temperature as number | undefined,
      topP: (config.top_p ?? config.topP) as number | undefined,
      stopSequences: config.stopSequences as string[] | undefined,
    },
  };
  if (raw.system !== undefined) body.system = raw.system as ContentBlock[];
  if (isRecord(raw.toolConfig)) body.toolConfig = raw.toolConfig as ConverseBody["toolConfig"];
  return body;
}

function novaUsage(turn: Turn): Record<string, number> {
  return {
    inputTokens: turn.usage.inputTokens,
    outputTokens: turn.usage.outputTokens,
    totalTokens: turn.usage.totalTokens,
    cacheReadInputTokenCount: turn.usage.cacheReadInputTokens,
    cacheWriteInputTokenCount: turn.usage.cacheWriteInputTokens,
  };
}

export function novaResponse(turn: Turn): Record<string, unknown> {
  return {
    output: { message: { role: "assistant", content: turn.content } },
    stopReason: turn.stopReason,
    usage: novaUsage(turn),
  };
}

export function novaStreamChunks(turn: Turn): Record<string, unknown>[] {
  const chunks: Record<string, unknown>[] = [{ messageStart: { role: "assistant" } }];
  turn.content.forEach((block, contentBlockIndex) => {
    if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse;
      chunks.push({ contentBlockStart: { start: { toolUse: { toolUseId, name } }, contentBlockIndex } });
      chunks.push({
        contentBlockDelta: { delta: { toolUse: { input: JSON.stringify(input ?? {}) } }, contentBlockIndex },
      });
    } else {
      for (const text of textPieces(block.text ?? "", turn))
        chunks.push({ contentBlockDelta: { delta: { text }, contentBlockIndex } });
    }
    chunks.push({ contentBlockStop: { contentBlockIndex } });
  });
  chunks.push({ messageStop: { stopReason: turn.stopReason } });
  chunks.push({
    metadata: { usage: novaUsage(turn), metrics: {}, trace: {} },
    "amazon-bedrock-invocationMetrics": invocationMetrics(turn),
  });
  return chunks;
}
