/**
 * CountTokens: the input tokens a Converse or InvokeModel request would be billed for, by the same rule as usage
 * (without cache discounts). Validates the request as the real call would.
 */
import type { RuntimeCall } from "../types.js";
import { anthropicToConverse } from "./anthropic-native.js";
import { validateCachePoints } from "./caching.js";
import { constraint, malformed, validation } from "./errors.js";
import { promptSegments, promptTokens } from "./prompt.js";
import type { ResolvedModel } from "./resolve.js";
import { type ConverseBody, isRecord } from "./shapes.js";
import { planThinking } from "./thinking.js";
import { validateConverse } from "./validate.js";

export function countTokens(call: RuntimeCall, model: ResolvedModel): { inputTokens: number } {
  if (model.spec.provider !== "anthropic") {
    throw validation(`The provided model doesn't support counting tokens. Model ID: ${model.spec.id}`);
  }
  const input = isRecord(call.body) && isRecord(call.body.input) ? call.body.input : undefined;
  let body: ConverseBody;
  if (isRecord(input?.converse)) {
    body = input.converse as ConverseBody;
  } else if (isRecord(input?.invokeModel)) {
    body = nativeBody(input.invokeModel.body, model);
  } else {
    throw constraint("null", "input", "Member must not be null");
  }
  const validated = validateConverse(body, model.spec);
  const segments = promptSegments(validated);
  validateCachePoints(segments, model.spec);
  planThinking(validated, model.spec);
  // Cache reads and writes are input too: the count is what usage reports as input + cache read + cache write.
  return { inputTokens: promptTokens(segments) };
}

/** The SDK sends invokeModel.body as a base64 blob; raw JSON text is accepted too. */
function nativeBody(encoded: unknown, model: ResolvedModel): ConverseBody {
  if (typeof encoded !== "string") throw malformed("#: expected type: JSONObject");
  let parsed: unknown;
  const text = encoded.trimStart().startsWith("{") ? encoded : Buffer.from(encoded, "base64").toString("utf8");
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed("#: expected type: JSONObject");
  }
  return anthropicToConverse(parsed, model.spec);
}
