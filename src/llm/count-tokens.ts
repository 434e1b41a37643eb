/**
 * countTokens()'s attempt and its fallback: Bedrock's CountTokens (free, exact, the model's own tokenizer) on the
 * call's Converse input, or, where CountTokens cannot answer (models it does not count, no access, no such
 * operation at an endpoint), the library's local estimate. `source` says which one the number is.
 */
import { CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import { send } from "../auth/sdk-handler.js";
import { estimateRequestTokens } from "../bedrock/estimate.js";
import { AbortedError, ConfigError, CredentialsError } from "../errors.js";
import type { Call } from "./call.js";
import type { ChatCompletionRequest } from "./types.js";

export interface TokenCount {
  /** Tokens of the request's input (system, messages, tools, documents). */
  input_tokens: number;
  /** "bedrock": counted by Bedrock's CountTokens; "estimate": the library's estimate (about 4 characters a token). */
  source: "bedrock" | "estimate";
  /** The foundation model the count is for. */
  model: string;
  /** Why Bedrock's count is not available, when source is "estimate". */
  reason?: string;
}

/** CountTokens names the foundation model, whatever profile the call itself would go through. */
function countedModel(call: Call): string {
  return call.model.foundationModel;
}

export async function sendCountTokens(call: Call): Promise<TokenCount> {
  const { messages, system, toolConfig, additionalModelRequestFields } = call.input;
  const converse = {
    messages,
    ...(system ? { system } : {}),
    ...(toolConfig ? { toolConfig } : {}),
    ...(additionalModelRequestFields ? { additionalModelRequestFields } : {}),
  };
  const model = countedModel(call);
  const output = await send(call.client, new CountTokensCommand({ modelId: model, input: { converse } }), {
    abortSignal: call.control.sdkSignal,
  });
  return { input_tokens: output.inputTokens ?? 0, source: "bedrock", model };
}

/**
 * The estimate of `request` (the chat request the call was begun from) in place of Bedrock's count, unless the
 * failure would fail the call itself too.
 */
export function estimatedCount(call: Call, request: ChatCompletionRequest, error: unknown): TokenCount {
  if (error instanceof AbortedError || error instanceof CredentialsError || error instanceof ConfigError) throw error;
  return {
    input_tokens: estimateRequestTokens(request),
    source: "estimate",
    model: countedModel(call),
    reason: error instanceof Error ? error.message : String(error),
  };
}
