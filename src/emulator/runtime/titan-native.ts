/** Titan Text's native InvokeModel body ({inputText, textGenerationConfig}) and its responses. */

import { textPieces } from "./converse.js";
import { malformed } from "./errors.js";
import { invocationMetrics } from "./invoke-metrics.js";
import type { ModelSpec } from "./models.js";
import { type ConverseBody, isRecord, type Turn } from "./shapes.js";

const CONFIG_KEYS = ["maxTokenCount", "temperature", "topP", "stopSequences"];

export function titanToConverse(raw: unknown, spec: ModelSpec): ConverseBody {
  if (!isRecord(raw)) throw malformed("#: expected type: JSONObject");
  for (const key of Object.keys(raw)) {
    if (key !== "inputText" && key !== "textGenerationConfig")
      throw malformed(`#: extraneous key [${key}] is not permitted`);
  }
  if (typeof raw.inputText !== "string") throw malformed("#: required key [inputText] not found");
  const config = isRecord(raw.textGenerationConfig) ? raw.textGenerationConfig : {};
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) throw malformed(`#/textGenerationConfig: extraneous key [${key}] is not permitted`);
  }
  const maxTokens = config.maxTokenCount as number | undefined;
  if (maxTokens !== undefined && maxTokens > spec.maxOutputTokens) {
    throw malformed(
      `#/textGenerationConfig/maxTokenCount: ${maxTokens} is not less or equal to ${spec.maxOutputTokens}`,
    );
  }
  for (const key of ["temperature", "topP"]) {
    const value = config[key];
    if (typeof value === "number" && (value < 0 || value > 1)) {
      throw malformed(
        `#/textGenerationConfig/${key}: ${value} is not ${value < 0 ? "greater" : "less"} or equal to ${value < 0 ? 0 : 1}`,
      );
    }
  }
  return {
    messages: [{ role: "user", content: [{ text: raw.inputText }] }],
    inferenceConfig: {
      maxTokens: maxTokens ?? Math.min(512, spec.maxOutputTokens),
      temperature: config.temperature as number | undefined,
      topP: config.topP as number | undefined,
      stopSequences: config.stopSequences as string[] | undefined,
    },
  };
}

export function titanCompletionReason(stopReason: string): string {
  switch (stopReason) {
    case "max_tokens":
      return "LENGTH";
    case "stop_sequence":
      return "STOP_CRITERIA_MET";
    case "guardrail_intervened":
      return "CONTENT_FILTERED";
    default:
      return "FINISH";
  }
}

function outputText(turn: Turn): string {
  return turn.content.map((b) => b.text ?? "").join("");
}

export function titanResponse(turn: Turn): Record<string, unknown> {
  return {
    inputTextTokenCount: turn.usage.inputTokens,
    results: [
      {
        tokenCount: turn.usage.outputTokens,
        outputText: outputText(turn),
        completionReason: titanCompletionReason(turn.stopReason),
      },
    ],
  };
}

export function titanStreamChunks(turn: Turn): Record<string, unknown>[] {
  const chunks = textPieces(outputText(turn), turn);
  return chunks.map((text, index) => {
    const last = index === chunks.length - 1;
    const chunk: Record<string, unknown> = {
      outputText: text,
      index: 0,
      totalOutputTextTokenCount: last ? turn.usage.outputTokens : null,
      completionReason: last ? titanCompletionReason(turn.stopReason) : null,
      inputTextTokenCount: index === 0 ? turn.usage.inputTokens : null,
    };
    if (last) chunk["amazon-bedrock-invocationMetrics"] = invocationMetrics(turn);
    return chunk;
  });
}
