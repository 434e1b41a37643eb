/**
 * One OpenAI chat-completions request -> one Converse / ConverseStream input. Everything per model is in the
 * ModelProfile; this walks the request once and builds fresh arrays only (the caller's objects are never mutated).
 */
import type { InferenceConfiguration, OutputConfig } from "@aws-sdk/client-bedrock-runtime";
import type { ChatCompletionRequest, ResponseFormat } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";
import { placeCachePoints } from "./cache-points.js";
import { estimateToolsTokens } from "./estimate.js";
import { convertMessages } from "./messages.js";
import { applyPassThrough } from "./passthrough.js";
import { planReasoning } from "./reasoning.js";
import { planTools } from "./tools.js";
import type { ConverseInput, ModelProfile, WarningSink } from "./types.js";

/** Default max_tokens when neither the request nor max_output_tokens sets one: enough, without reserving a
 * model's whole output limit (64k+) against the account's tokens-per-minute quota. */
export const DEFAULT_MAX_TOKENS = 8_192;

function textFormat(format: ResponseFormat | undefined, info: ModelInfo, warn: WarningSink): OutputConfig | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") {
    warn("response_format json_object is not enforced by Bedrock: use json_schema, or ask for JSON in the prompt.");
    return undefined;
  }
  if (!info.structuredOutput) {
    throw new ValidationError(
      `${info.name} (${info.id}) does not support structured output (response_format json_schema); ask for JSON in the prompt instead.`,
    );
  }
  const { name, description, schema } = format.json_schema;
  return {
    textFormat: {
      type: "json_schema",
      structure: {
        jsonSchema: {
          schema: JSON.stringify(schema ?? { type: "object" }),
          name,
          ...(description ? { description } : {}),
        },
      },
    },
  };
}

export function buildConverseInput(
  request: ChatCompletionRequest,
  profile: ModelProfile,
  stream: boolean,
  warn: WarningSink,
): ConverseInput {
  const { info, settings, caching } = profile;
  const conversation = convertMessages(request.messages, info, caching !== null);

  const requestedMax =
    request.max_completion_tokens ??
    request.max_tokens ??
    settings.max_output_tokens ??
    Math.min(info.maxOutputTokens, DEFAULT_MAX_TOKENS);
  const reasoning = planReasoning(
    request.reasoning_effort ?? settings.reasoning_effort,
    settings.thinking_budget_tokens,
    info,
    requestedMax,
  );
  if (reasoning.note) warn(reasoning.note);
  const tools = planTools(request.tools, request.tool_choice, info, conversation.usesTools, reasoning.enabled);
  if (tools.noneIgnored) {
    warn('tool_choice "none" cannot be enforced on Bedrock once the conversation holds tool calls; tools were kept.');
  }

  const inferenceConfig: InferenceConfiguration = { maxTokens: reasoning.maxTokens };
  const temperature = request.temperature ?? settings.temperature;
  const topP = request.top_p ?? settings.top_p;
  const dropped: string[] = [];
  if (temperature !== undefined) {
    if (reasoning.enabled) dropped.push("temperature");
    else inferenceConfig.temperature = temperature;
  }
  if (topP !== undefined) {
    if (reasoning.enabled) dropped.push("top_p");
    else inferenceConfig.topP = topP;
  }
  if (tools.droppedForcedChoice) dropped.push("the forced tool_choice");
  if (dropped.length > 0) {
    warn(
      `Extended thinking is on for ${info.name}: ${dropped.join(", ")} not sent (Bedrock refuses them with thinking).`,
    );
  }
  // OpenAI clients send null or [] for "no stop"; Bedrock refuses an empty list.
  const stop = typeof request.stop === "string" ? [request.stop] : request.stop;
  if (stop && stop.length > 0) inferenceConfig.stopSequences = stop;

  if (caching) {
    const toolsTokens = tools.tools && request.tools ? estimateToolsTokens(request.tools) : 0;
    placeCachePoints(conversation, tools.tools, toolsTokens, caching);
  }

  const input: ConverseInput = {
    modelId: profile.sentId,
    messages: conversation.messages,
    inferenceConfig,
  };
  if (conversation.system.length > 0) input.system = conversation.system;
  if (tools.toolConfig) input.toolConfig = tools.toolConfig;
  const guardrail = stream ? profile.guardrailStream : profile.guardrail;
  if (guardrail) input.guardrailConfig = guardrail;
  if (reasoning.additionalModelRequestFields) {
    input.additionalModelRequestFields = reasoning.additionalModelRequestFields;
  }
  const outputConfig = textFormat(request.response_format, info, warn);
  if (reasoning.effort) {
    input.outputConfig = { ...outputConfig, effort: reasoning.effort };
  } else if (outputConfig) {
    input.outputConfig = outputConfig;
  }
  const tier = request.service_tier ?? settings.service_tier;
  if (tier) input.serviceTier = { type: tier };
  if (settings.latency === "optimized") input.performanceConfig = { latency: "optimized" };
  applyPassThrough(input, request, settings);
  return input;
}
