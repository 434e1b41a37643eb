/**
 * Wire-shape checks before any semantic validation: a Converse body whose members have the wrong JSON type is
 * refused as Bedrock's deserializer refuses it, so later checks can rely on the shapes in shapes.ts.
 */
import { validation } from "./errors.js";
import { isRecord } from "./shapes.js";

function shapeError(path: string, expected: string): Error {
  return validation(
    `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must be ${expected}`,
  );
}

function listOfObjects(value: unknown, path: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!Array.isArray(value)) throw shapeError(path, "a list");
  value.forEach((item, i) => {
    if (!isRecord(item)) throw shapeError(`${path}.${i}.member`, "a structure");
  });
}

function optionalObject(value: unknown, path: string): void {
  if (value !== undefined && !isRecord(value)) throw shapeError(path, "a structure");
}

function optionalNumber(value: unknown, path: string): void {
  if (value !== undefined && typeof value !== "number") throw shapeError(path, "a number");
}

function contentList(value: unknown, path: string): void {
  listOfObjects(value, path, true);
  (value as Record<string, unknown>[]).forEach((block, i) => {
    const result = block.toolResult;
    if (result !== undefined) {
      optionalObject(result, `${path}.${i}.member.toolResult`);
      listOfObjects((result as Record<string, unknown>).content, `${path}.${i}.member.toolResult.content`, true);
    }
    if (block.text !== undefined && typeof block.text !== "string")
      throw shapeError(`${path}.${i}.member.text`, "a string");
    for (const member of ["image", "document", "toolUse", "reasoningContent", "cachePoint", "guardContent"]) {
      optionalObject(block[member], `${path}.${i}.member.${member}`);
    }
  });
}

export function checkConverseShape(body: Record<string, unknown>): void {
  listOfObjects(body.messages, "messages", false);
  for (const [m, message] of ((body.messages as Record<string, unknown>[] | undefined) ?? []).entries()) {
    contentList(message.content, `messages.${m}.member.content`);
  }
  if (body.system !== undefined) contentList(body.system, "system");
  optionalObject(body.toolConfig, "toolConfig");
  if (isRecord(body.toolConfig)) {
    listOfObjects(body.toolConfig.tools, "toolConfig.tools", true);
    optionalObject(body.toolConfig.toolChoice, "toolConfig.toolChoice");
  }
  optionalObject(body.inferenceConfig, "inferenceConfig");
  if (isRecord(body.inferenceConfig)) {
    const config = body.inferenceConfig;
    for (const key of ["maxTokens", "temperature", "topP"]) optionalNumber(config[key], `inferenceConfig.${key}`);
    if (config.stopSequences !== undefined && !Array.isArray(config.stopSequences)) {
      throw shapeError("inferenceConfig.stopSequences", "a list");
    }
  }
  for (const key of [
    "guardrailConfig",
    "additionalModelRequestFields",
    "outputConfig",
    "serviceTier",
    "performanceConfig",
  ]) {
    optionalObject(body[key], key);
  }
  if (body.additionalModelResponseFieldPaths !== undefined && !Array.isArray(body.additionalModelResponseFieldPaths)) {
    throw shapeError("additionalModelResponseFieldPaths", "a list");
  }
  if (isRecord(body.guardrailConfig)) {
    for (const key of ["guardrailIdentifier", "guardrailVersion", "trace"]) {
      const value = body.guardrailConfig[key];
      if (value !== undefined && typeof value !== "string") throw shapeError(`guardrailConfig.${key}`, "a string");
    }
  }
}
