/**
 * additionalModelResponseFieldPaths: JSON Pointers (RFC 6901) into the model's own response, returned as
 * additionalModelResponseFields. Converse resolves them against the model's final native body, ConverseStream
 * (in messageStop) against its last native stream event, e.g. Anthropic's message_delta: "/stop_sequence" on
 * Converse and "/delta/stop_sequence" on a stream give {stop_sequence: null} and {delta: {stop_sequence: null}},
 * as recorded from Bedrock. A valid pointer to a field the model did not return is ignored.
 */
import { anthropicResponse } from "./anthropic-response.js";
import { anthropicStreamEvents } from "./anthropic-stream.js";
import { constraintAt, validation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import { novaResponse, novaStreamChunks } from "./nova-native.js";
import { promptResponse, promptStreamChunks } from "./prompt-native.js";
import { type ConverseBody, isRecord, type Turn } from "./shapes.js";
import { titanResponse, titanStreamChunks } from "./titan-native.js";

const MAX_PATHS = 10;
const MAX_PATH_LENGTH = 256;
const FIELD = "additionalModelResponseFieldPaths";

export interface ResponseFields {
  /** For the Converse response body. */
  final?: Record<string, unknown>;
  /** For ConverseStream's messageStop event. */
  streamed?: Record<string, unknown>;
}

/** The requested pointers, checked as Bedrock checks them (list and string constraints, then pointer syntax). */
export function requestedFieldPaths(body: ConverseBody): string[] | undefined {
  const paths = body.additionalModelResponseFieldPaths;
  if (paths === undefined) return undefined;
  if (paths.length > MAX_PATHS) {
    throw constraintAt(FIELD, `Member must have length less than or equal to ${MAX_PATHS}`);
  }
  paths.forEach((path, i) => {
    if (typeof path !== "string") throw constraintAt(`${FIELD}.${i}.member`, "Member must be a string");
    if (path.length < 1)
      throw constraintAt(`${FIELD}.${i}.member`, "Member must have length greater than or equal to 1");
    if (path.length > MAX_PATH_LENGTH) {
      throw constraintAt(`${FIELD}.${i}.member`, `Member must have length less than or equal to ${MAX_PATH_LENGTH}`);
    }
    if (!path.startsWith("/") || /~(?![01])/.test(path)) {
      throw validation(
        `The value '${path}' at ${FIELD}.${i} isn't a valid JSON Pointer. Use a JSON Pointer (RFC 6901) that starts with '/', such as '/stop_sequence', and try again.`,
      );
    }
  });
  return paths as string[];
}

function tokens(pointer: string): string[] {
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function lookup(source: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let node = source;
  for (const token of path) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < node.length) node = node[Number(token)];
    else if (isRecord(node) && Object.hasOwn(node, token)) node = node[token];
    else return { found: false };
  }
  return { found: true, value: node };
}

/** The fields the pointers select, nested as their pointers are; undefined when none is present. */
export function pickFields(source: unknown, pointers: readonly string[]): Record<string, unknown> | undefined {
  let result: Record<string, unknown> | undefined;
  for (const pointer of pointers) {
    const path = tokens(pointer);
    const hit = lookup(source, path);
    if (!hit.found) continue;
    result ??= {};
    let node = result;
    path.slice(0, -1).forEach((token) => {
      if (!isRecord(node[token])) node[token] = {};
      node = node[token] as Record<string, unknown>;
    });
    node[path[path.length - 1] as string] = hit.value;
  }
  return result;
}

function nativeFinal(turn: Turn, spec: ModelSpec): unknown {
  switch (spec.provider) {
    case "anthropic":
      return anthropicResponse(turn, spec);
    case "amazon-nova":
      return novaResponse(turn);
    case "amazon-titan":
      return titanResponse(turn);
    default:
      return promptResponse(turn, spec);
  }
}

function nativeLastEvent(turn: Turn, spec: ModelSpec): unknown {
  switch (spec.provider) {
    case "anthropic":
      return [...anthropicStreamEvents(turn, spec)].find((e) => e.type === "message_delta");
    case "amazon-nova":
      return novaStreamChunks(turn).find((c) => c.messageStop !== undefined);
    case "amazon-titan":
      return titanStreamChunks(turn).at(-1);
    default:
      return promptStreamChunks(turn, spec).at(-1);
  }
}

export function resolveResponseFields(paths: readonly string[], turn: Turn, spec: ModelSpec): ResponseFields {
  const fields: ResponseFields = {};
  const final = pickFields(nativeFinal(turn, spec), paths);
  const streamed = pickFields(nativeLastEvent(turn, spec), paths);
  if (final) fields.final = final;
  if (streamed) fields.streamed = streamed;
  return fields;
}
