/**
 * Wire-shape checks before any semantic validation: a Converse body whose members have the wrong JSON type is
 * refused as Bedrock's deserializer refuses it, so later checks can rely on the shapes in shapes.ts.
 */
import { constraintAt, validation } from "./errors.js";
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
    for (const member of ["image", "document", "video", "toolUse", "reasoningContent", "cachePoint", "guardContent"]) {
      optionalObject(block[member], `${path}.${i}.member.${member}`);
    }
    memberConstraints(block, `${path}.${i}.member`);
  });
}

const TOOL_NAME = /^[a-zA-Z0-9_-]+$/;
const S3_URI = /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/;
const ACCOUNT_ID = /^[0-9]{12}$/;

/** Length and pattern constraints of members inside content, worded as recorded (the value is not repeated). */
function memberConstraints(block: Record<string, unknown>, path: string): void {
  const document = isRecord(block.document) ? block.document : undefined;
  if (document) {
    const name = document.name;
    if (typeof name !== "string") throw constraintAt(`${path}.document.name`, "Member must not be null");
    if (name.length < 1)
      throw constraintAt(`${path}.document.name`, "Member must have length greater than or equal to 1");
    if (name.length > 200)
      throw constraintAt(`${path}.document.name`, "Member must have length less than or equal to 200");
  }
  const toolUse = isRecord(block.toolUse) ? block.toolUse : undefined;
  if (toolUse && (typeof toolUse.name !== "string" || !TOOL_NAME.test(toolUse.name))) {
    throw constraintAt(`${path}.toolUse.name`, "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+");
  }
  for (const kind of ["image", "document", "video"]) {
    const media = block[kind];
    const source = isRecord(media) && isRecord(media.source) ? media.source : undefined;
    if (source?.s3Location === undefined) continue;
    const location = source.s3Location;
    const at = `${path}.${kind}.source.s3Location`;
    optionalObject(location, at);
    const { uri, bucketOwner } = location as Record<string, unknown>;
    if (typeof uri !== "string") throw constraintAt(`${at}.uri`, "Member must not be null");
    if (uri.length > 1024) throw constraintAt(`${at}.uri`, "Member must have length less than or equal to 1024");
    if (!S3_URI.test(uri)) {
      throw constraintAt(
        `${at}.uri`,
        "Member must satisfy regular expression pattern: s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?",
      );
    }
    if (bucketOwner !== undefined && (typeof bucketOwner !== "string" || !ACCOUNT_ID.test(bucketOwner))) {
      throw constraintAt(`${at}.bucketOwner`, "Member must satisfy regular expression pattern: [0-9]{12}");
    }
  }
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
