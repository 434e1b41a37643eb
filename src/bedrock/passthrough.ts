/**
 * What a request passes to Converse as it is: requestMetadata (the configured request_metadata with the request's
 * metadata over it, checked by Bedrock's rules before sending), additionalModelRequestFields (over what the mapping
 * sets itself, e.g. thinking) and additionalModelResponseFieldPaths.
 */
import type { DocumentType } from "@smithy/types";
import type { ChatCompletionRequest } from "../chat/index.js";
import { REQUEST_METADATA_KEY, REQUEST_METADATA_VALUE } from "../config/schema.js";
import { ValidationError } from "../errors.js";
import type { ConverseInput, ProfileSettings } from "./types.js";

const MAX_METADATA_ENTRIES = 16;
const MAX_FIELD_PATHS = 10;

function requestMetadata(
  configured: Record<string, string> | undefined,
  requested: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!configured && !requested) return undefined;
  const merged = { ...configured, ...requested };
  const entries = Object.entries(merged);
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_METADATA_ENTRIES) {
    throw new ValidationError(
      `metadata: Bedrock takes at most ${MAX_METADATA_ENTRIES} entries of requestMetadata, configured and requested together (${entries.length} here).`,
    );
  }
  for (const [key, value] of entries) {
    if (!REQUEST_METADATA_KEY.test(key)) {
      throw new ValidationError(
        `metadata key "${key}": Bedrock takes 1-256 letters, digits, spaces and :_@$#=/+,-. in requestMetadata keys.`,
      );
    }
    if (typeof value !== "string" || !REQUEST_METADATA_VALUE.test(value)) {
      throw new ValidationError(
        `metadata["${key}"]: Bedrock takes string values of 0-256 letters, digits, spaces and :_@$#=/+,-. in requestMetadata.`,
      );
    }
  }
  return merged;
}

function responseFieldPaths(paths: string[] | undefined): string[] | undefined {
  if (paths === undefined || paths.length === 0) return undefined;
  if (paths.length > MAX_FIELD_PATHS) {
    throw new ValidationError(`additional_model_response_field_paths: at most ${MAX_FIELD_PATHS} JSON Pointers.`);
  }
  for (const path of paths) {
    if (!/^\/.{0,255}$/s.test(path) || /~(?![01])/.test(path)) {
      throw new ValidationError(
        `additional_model_response_field_paths: "${path}" is not a JSON Pointer (RFC 6901), such as "/stop_sequence".`,
      );
    }
  }
  return paths;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JavaScript callers can pass anything: the wrong shape gets a ValidationError naming the field. */
function checkShapes(request: ChatCompletionRequest): void {
  const { metadata, additional_model_request_fields: extra, additional_model_response_field_paths: paths } = request;
  if (metadata != null && !isObject(metadata)) throw new ValidationError("metadata must be an object of strings.");
  if (extra != null && !isObject(extra))
    throw new ValidationError("additional_model_request_fields must be an object.");
  if (paths != null && !(Array.isArray(paths) && paths.every((p) => typeof p === "string"))) {
    throw new ValidationError("additional_model_response_field_paths must be an array of JSON Pointer strings.");
  }
}

/** Sets the pass-through members on `input`; the mapping's own additional fields are in it already. */
export function applyPassThrough(
  input: ConverseInput,
  request: ChatCompletionRequest,
  settings: ProfileSettings,
): void {
  checkShapes(request);
  const metadata = requestMetadata(settings.request_metadata, request.metadata ?? undefined);
  if (metadata) input.requestMetadata = metadata;
  const extra = request.additional_model_request_fields;
  if (extra && Object.keys(extra).length > 0) {
    input.additionalModelRequestFields = {
      ...(input.additionalModelRequestFields as Record<string, DocumentType> | undefined),
      ...(extra as Record<string, DocumentType>),
    };
  }
  const paths = responseFieldPaths(request.additional_model_response_field_paths);
  if (paths) input.additionalModelResponseFieldPaths = paths;
}
