/**
 * JavaScript callers can pass anything: the request's top-level fields get a ValidationError naming the field
 * rather than a TypeError from deep inside (messages and their parts are checked where they are translated).
 * A handful of typeof checks per call; null counts as absent, as OpenAI clients send it. Not the contract's zod
 * schema (src/chat), which the gateway parses bodies with: on an agent-shaped request that measured about 30 times
 * the cost of these checks, a visible share of what the library may add to a call.
 */
import { ValidationError } from "../errors.js";
import type { ChatCompletionRequest } from "./types.js";

const NUMBER_FIELDS = ["max_tokens", "max_completion_tokens", "temperature", "top_p", "timeout"] as const;
const STRING_FIELDS = ["model", "reasoning_effort", "service_tier"] as const;

function kind(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? "a number" : String(value);
  return Array.isArray(value) ? "an array" : typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function refuse(message: string): never {
  throw new ValidationError(message);
}

export function checkRequest(request: unknown): asserts request is ChatCompletionRequest {
  if (!isObject(request)) {
    refuse(
      `The request must be an object like { messages: [{ role: "user", content: "..." }] }, not ${kind(request)}.`,
    );
  }
  for (const field of STRING_FIELDS) {
    const value = request[field];
    if (value != null && typeof value !== "string") refuse(`${field} must be a string, not ${kind(value)}.`);
  }
  for (const field of NUMBER_FIELDS) {
    const value = request[field];
    if (value != null && !Number.isFinite(value)) {
      refuse(`${field} must be a finite number, not ${kind(value)}.`);
    }
  }
  const { tools, tool_choice: choice, stop, signal, response_format: format } = request;
  if (tools != null) checkTools(tools);
  if (choice != null && typeof choice !== "string" && !isObject(choice)) {
    refuse(
      `tool_choice must be "auto", "none", "required" or { type: "function", function: { name } }, not ${kind(choice)}.`,
    );
  }
  if (isObject(choice) && (!isObject(choice.function) || typeof choice.function.name !== "string")) {
    refuse('tool_choice must name its tool: { type: "function", function: { name: "..." } }.');
  }
  if (stop != null && typeof stop !== "string" && !(Array.isArray(stop) && stop.every((s) => typeof s === "string"))) {
    refuse("stop must be a string or an array of strings.");
  }
  if (signal != null && typeof (signal as AbortSignal).addEventListener !== "function") {
    refuse(
      `signal must be an AbortSignal (e.g. AbortSignal.timeout(ms) or an AbortController's), not ${kind(signal)}.`,
    );
  }
  if (format != null) checkResponseFormat(format);
}

function checkTools(tools: unknown): void {
  if (!Array.isArray(tools)) {
    refuse(`tools must be an array of { type: "function", function: { name, parameters } }, not ${kind(tools)}.`);
  }
  for (const [index, tool] of tools.entries()) {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(fn) || typeof fn.name !== "string") {
      const got = isObject(tool) ? "with function.name a string" : `not ${kind(tool)}`;
      refuse(`tools[${index}] must be { type: "function", function: { name, parameters } }, ${got}.`);
    }
    checkJsonValue(fn.parameters, `tools[${index}].function.parameters`);
  }
}

function checkResponseFormat(format: unknown): void {
  if (!isObject(format) || typeof format.type !== "string") {
    refuse('response_format must be { type: "text" | "json_object" | "json_schema", ... }.');
  }
  if (format.type === "json_schema" && !isObject(format.json_schema)) {
    refuse("response_format json_schema needs json_schema: { name, schema }.");
  }
  if (isObject(format.json_schema)) checkJsonValue(format.json_schema.schema, "response_format.json_schema.schema");
}

/** Deeper than any real schema, far from where the AWS SDK's recursive serialiser overflows the stack. */
export const MAX_SCHEMA_DEPTH = 128;

/**
 * A schema goes to Bedrock as JSON: one nested past MAX_SCHEMA_DEPTH (the SDK's serialiser recurses and overflows a
 * few thousand levels down) or referring to itself (no JSON text for it) is refused here. Walked on every call (a
 * caller may change its tools between calls), so the walk builds nothing per node: its recursion stops at
 * MAX_SCHEMA_DEPTH levels, far from the stack's limit.
 */
function checkJsonValue(value: unknown, path: string): void {
  walkJson(value, 0, [], path);
}

/** `ancestors`: the objects on the path down to `node` (a node shared by two branches is fine, its own ancestor is a cycle). */
function walkJson(node: unknown, depth: number, ancestors: object[], path: string): void {
  if (typeof node !== "object" || node === null) return;
  if (depth >= MAX_SCHEMA_DEPTH) refuse(`${path} nests deeper than ${MAX_SCHEMA_DEPTH} levels.`);
  if (ancestors.includes(node)) refuse(`${path} must be JSON data: it contains itself.`);
  ancestors.push(node);
  if (Array.isArray(node)) {
    for (const child of node) walkJson(child, depth + 1, ancestors, path);
  } else {
    const fields = node as Record<string, unknown>;
    for (const key of Object.keys(fields)) walkJson(fields[key], depth + 1, ancestors, path);
  }
  ancestors.pop();
}
