/**
 * Per-message rules Bedrock enforces, each with its message as recorded from Bedrock (bedrock-fixtures:
 * amazon-bedrock-cache-point-only-assistant-error.json, issue-7034-error.json,
 * amazon-bedrock-mistral-duplicate-tool-call-ids-error.json, issue-17267-tool-choice-conflict.json).
 */
import { validation } from "./errors.js";
import { type ConverseBody, isRecord, type Message } from "./shapes.js";

export function checkMessageRules(message: Message, m: number): void {
  const content = message.content ?? [];
  if (content.length > 0 && content.every((b) => b.cachePoint)) {
    throw validation("There is nothing available to cache. Please remove the invalid cache point and try again.");
  }
  if (message.role === "user" && content.some((b) => b.reasoningContent)) {
    throw validation(
      "User messages cannot contain reasoning content. Please remove the reasoning content and try again.",
    );
  }
  const ids = content.map((b) => b.toolUse?.toolUseId).filter((id): id is string => id !== undefined);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length > 0) {
    throw validation(`The toolUse blocks at messages.${m}.content contain duplicate Ids: ${duplicates.join(", ")}`);
  }
}

/** An additional field that sets what a Converse field already sets (tool_choice vs toolConfig.toolChoice). */
export function checkAdditionalFieldConflicts(body: ConverseBody): void {
  const extra = isRecord(body.additionalModelRequestFields) ? body.additionalModelRequestFields : {};
  const choice = body.toolConfig?.toolChoice;
  const member = choice && Object.keys(choice)[0];
  if (member && isRecord(extra.tool_choice) && extra.tool_choice.type !== undefined) {
    throw validation(
      `The additional field tool_choice/type conflicts with the existing field toolConfig.toolChoice.${member}. Remove tool_choice/type and try again.`,
    );
  }
}
