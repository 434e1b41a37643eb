/**
 * Converse request validation with Bedrock's messages: conversation shape, content blocks, tool pairing, model
 * capabilities and inferenceConfig ranges. Thinking, caching, guardrails and structured output check themselves.
 */

import { outputLimit, requestedBetas } from "./anthropic-betas.js";
import { constraint, modelValidation, validation } from "./errors.js";
import { checkUniqueDocumentNames, validateMedia } from "./media.js";
import { checkAdditionalFieldConflicts, checkMessageRules } from "./message-rules.js";
import type { ModelSpec } from "./models.js";
import { validateRequestMetadata } from "./request-metadata.js";
import { checkConverseShape } from "./shape-check.js";
import { ANTHROPIC_NATIVE, type ContentBlock, type ConverseBody, isRecord, type Message } from "./shapes.js";

export function validateConverse(raw: unknown, spec: ModelSpec): ConverseBody {
  if (!isRecord(raw)) throw validation("The request body is not valid JSON.");
  checkConverseShape(raw);
  const body = raw as ConverseBody;
  const extra = body.additionalModelRequestFields;
  const betas =
    spec.provider === "anthropic" && isRecord(extra)
      ? requestedBetas(extra.anthropic_beta, !!body[ANTHROPIC_NATIVE])
      : [];
  validateMessages(body.messages, spec, !!body[ANTHROPIC_NATIVE]);
  validateSystem(body, spec);
  validateTools(body, spec);
  checkAdditionalFieldConflicts(body);
  validateInferenceConfig(body, outputLimit(spec, betas));
  validateRequestMetadata(body);
  return body;
}

function validateMessages(messages: Message[] | undefined, spec: ModelSpec, native: boolean): void {
  if (!Array.isArray(messages) || messages.length === 0) throw mustStartWithUser();
  for (const [m, message] of messages.entries()) checkRole(message, m);
  if (messages[0]?.role !== "user") throw mustStartWithUser();
  messages.forEach((message, m) => {
    if (m > 0 && messages[m - 1]?.role === message.role) {
      throw validation(
        "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
      );
    }
    if (!Array.isArray(message.content) || message.content.length === 0) {
      throw validation(
        `The content field in the Message object at messages.${m} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
    checkMessageRules(message, m);
    message.content.forEach((block, b) => {
      validateBlock(block, `messages.${m}.content.${b}`, spec, native);
    });
  });
  checkUniqueDocumentNames(messages);
  validateToolPairing(messages);
}

function mustStartWithUser() {
  return validation(
    "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  );
}

function checkRole(message: Message | null, m: number): void {
  const role = message?.role;
  if (role !== "user" && role !== "assistant") {
    throw constraint(role, `messages.${m}.member.role`, "Member must satisfy enum value set: [assistant, user]");
  }
}

function validateBlock(block: ContentBlock, path: string, spec: ModelSpec, native = false): void {
  if (typeof block !== "object" || block === null) throw validation(`The ContentBlock object at ${path} is not valid.`);
  if (typeof block.text === "string" && block.text.trim() === "") {
    throw validation(
      `The text field in the ContentBlock object at ${path} is blank. Add text to the text field, and try again.`,
    );
  }
  validateMedia(block, path, spec);
  if (block.toolResult) {
    const content = block.toolResult.content;
    if (!Array.isArray(content) || (content.length === 0 && !native)) {
      throw validation(
        `The content field in the ToolResultBlock object at ${path}.toolResult is empty. Add a content block to the content field and try again.`,
      );
    }
    content.forEach((inner, i) => {
      validateBlock(inner, `${path}.toolResult.content.${i}`, spec, native);
    });
  }
  if (block.toolUse && !isRecord(block.toolUse.input)) {
    throw validation(
      `The toolUse.input field at ${path} must be a JSON object. Use {} for a tool call without arguments.`,
    );
  }
}

/**
 * Every toolResult answers a toolUse of the previous assistant turn (checked first, as a mismatched id is the
 * error Bedrock reports), then every toolUse is answered in the next turn.
 */
function validateToolPairing(messages: Message[]): void {
  messages.forEach((message, m) => {
    if (message.role === "user") checkToolResults(message, messages[m - 1], m);
  });
  messages.forEach((message, m) => {
    const next = messages[m + 1];
    if (message.role === "assistant" && next) checkToolUsesAnswered(message, next, m);
  });
}

function checkToolResults(message: Message, previous: Message | undefined, m: number): void {
  const content = message.content ?? [];
  const results = content.filter((b) => b.toolResult);
  if (results.length === 0) return;
  const uses = (previous?.content ?? []).filter((b) => b.toolUse).map((b) => b.toolUse?.toolUseId);
  if (results.length > uses.length) {
    throw validation(
      `The number of toolResult blocks at messages.${m}.content exceeds the number of toolUse blocks of previous turn.`,
    );
  }
  content.forEach((block, b) => {
    const id = block.toolResult?.toolUseId;
    if (block.toolResult && !uses.includes(id)) {
      throw modelValidation(
        `messages.${m}.content.${b}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
      );
    }
  });
}

function checkToolUsesAnswered(message: Message, next: Message, m: number): void {
  const answered = new Set((next.content ?? []).map((b) => b.toolResult?.toolUseId).filter(Boolean));
  const missing = (message.content ?? [])
    .map((b) => b.toolUse?.toolUseId)
    .filter((id) => id !== undefined && !answered.has(id));
  if (missing.length > 0) {
    throw modelValidation(
      `messages.${m + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
    );
  }
}

function validateSystem(body: ConverseBody, spec: ModelSpec): void {
  if (body.system === undefined) return;
  if (!Array.isArray(body.system)) throw validation("The system field must be a list of SystemContentBlock objects.");
  if (body.system.length > 0 && !spec.system) throw validation("This model doesn't support system messages.");
  body.system.forEach((block, i) => {
    if (typeof block.text === "string" && block.text.trim() === "") {
      throw validation(
        `The text field in the SystemContentBlock object at system.${i} is blank. Add text to the text field, and try again.`,
      );
    }
  });
}

function validateTools(body: ConverseBody, spec: ModelSpec): void {
  const config = body.toolConfig;
  const hasToolBlocks = (body.messages ?? []).some((m) => (m.content ?? []).some((b) => b.toolUse || b.toolResult));
  if (!config) {
    if (hasToolBlocks)
      throw validation("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
    return;
  }
  if (!spec.tools) throw validation("This model doesn't support tool use.");
  const specs = (config.tools ?? []).filter((t) => t.toolSpec);
  if (specs.length === 0)
    throw constraint("[]", "toolConfig.tools", "Member must have length greater than or equal to 1");
  specs.forEach((tool, i) => {
    if (!tool.toolSpec?.name || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.toolSpec.name)) {
      throw constraint(
        tool.toolSpec?.name,
        `toolConfig.tools.${i}.member.toolSpec.name`,
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
      );
    }
  });
  const choice = config.toolChoice;
  const forced = choice?.any ? "any" : choice?.tool ? "tool" : undefined;
  if (forced && !spec.toolChoice.includes(forced)) {
    throw validation(
      `This model doesn't support the toolConfig.toolChoice.${forced} field. Remove toolConfig.toolChoice.${forced} and try again.`,
    );
  }
  if (choice?.tool && !specs.some((t) => t.toolSpec?.name === choice.tool?.name)) {
    throw modelValidation(`tool_choice.name: Tool '${choice.tool.name}' not found in provided tools.`);
  }
}

function validateInferenceConfig(body: ConverseBody, maxOutputTokens: number): void {
  const config = body.inferenceConfig;
  if (!config) return;
  const { maxTokens, temperature, topP, stopSequences } = config;
  if (maxTokens !== undefined) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw constraint(maxTokens, "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1");
    }
    if (maxTokens > maxOutputTokens) {
      throw validation(
        `The maximum tokens you requested exceeds the model limit of ${maxOutputTokens}. Try again with a maximum tokens value that is lower than ${maxOutputTokens}.`,
      );
    }
  }
  for (const [name, value] of [
    ["temperature", temperature],
    ["topP", topP],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== "number" || value < 0) {
      throw constraint(value, `inferenceConfig.${name}`, "Member must have value greater than or equal to 0");
    }
    if (value > 1) throw constraint(value, `inferenceConfig.${name}`, "Member must have value less than or equal to 1");
  }
  if (stopSequences !== undefined) {
    if (!Array.isArray(stopSequences) || stopSequences.some((s) => typeof s !== "string" || s.length === 0)) {
      throw validation("The stopSequences field must be a list of non-empty strings.");
    }
    if (stopSequences.length > 2500) {
      throw constraint(
        stopSequences.length,
        "inferenceConfig.stopSequences",
        "Member must have length less than or equal to 2500",
      );
    }
  }
}
