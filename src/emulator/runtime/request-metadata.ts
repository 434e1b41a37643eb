/**
 * requestMetadata: key/value pairs for invocation logs and cost allocation. Bedrock's rules (botocore model): 1 to
 * 16 entries, keys of 1-256 and values of 0-256 characters from letters, digits, whitespace and :_@$#=/+,-. The
 * map is sensitive, so error messages name the member, never a key or value.
 */
import { constraintAt } from "./errors.js";
import { type ConverseBody, isRecord } from "./shapes.js";

const KEY = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{1,256}$/;
const VALUE = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{0,256}$/;
const MAX_ENTRIES = 16;

export function validateRequestMetadata(body: ConverseBody): void {
  const metadata = body.requestMetadata;
  if (metadata === undefined) return;
  if (!isRecord(metadata)) throw constraintAt("requestMetadata", "Member must be a map");
  const entries = Object.entries(metadata);
  if (entries.length < 1) throw constraintAt("requestMetadata", "Member must have length greater than or equal to 1");
  if (entries.length > MAX_ENTRIES) {
    throw constraintAt("requestMetadata", `Member must have length less than or equal to ${MAX_ENTRIES}`);
  }
  for (const [key, value] of entries) {
    if (!KEY.test(key)) {
      throw constraintAt(
        "requestMetadata",
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{1,256}]",
      );
    }
    if (typeof value !== "string" || !VALUE.test(value)) {
      throw constraintAt(
        "requestMetadata",
        "Map values must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{0,256}]",
      );
    }
  }
}
