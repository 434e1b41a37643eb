/**
 * The JSON-schema violations Bedrock reports for native InvokeModel bodies, in its validator's words
 * ("#/texts: expected maximum item count: 96, found: 97"). Every violation found is reported, concatenated without a
 * separator, inside "Malformed input request: ..., please reformat your input and try again.", as Bedrock does.
 */
import { malformed } from "./errors.js";
import { isRecord } from "./shapes.js";

/** The JSON type names the validator prints ("expected type: String, found: Integer"). */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "Null";
  if (Array.isArray(value)) return "JSONArray";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "BigDecimal";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "string") return "String";
  return "JSONObject";
}

export class Violations {
  private readonly found: string[] = [];

  add(pointer: string, message: string): void {
    this.found.push(`${pointer}: ${message}`);
  }

  /** Throws the ValidationException when anything was found. */
  check(): void {
    if (this.found.length > 0) throw malformed(this.found.join(""));
  }

  /** Keys outside `allowed` and missing `required` keys of an object at `pointer`. */
  keys(body: Record<string, unknown>, pointer: string, allowed: readonly string[], required: readonly string[]): void {
    for (const key of required) if (body[key] === undefined) this.add(pointer, `required key [${key}] not found`);
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) this.add(pointer, `extraneous key [${key}] is not permitted`);
    }
  }

  /** True when the value has the JSON type; else records the violation. */
  type(
    value: unknown,
    pointer: string,
    expected: "String" | "Integer" | "Boolean" | "JSONArray" | "JSONObject",
  ): boolean {
    const actual = jsonTypeName(value);
    const ok = expected === "JSONObject" ? isRecord(value) : actual === expected;
    if (!ok) this.add(pointer, `expected type: ${expected}, found: ${actual}`);
    return ok;
  }

  oneOf(value: unknown, pointer: string, allowed: readonly (string | number)[]): void {
    if (!allowed.includes(value as string | number)) this.add(pointer, `${String(value)} is not a valid enum value`);
  }

  /** A string with a length between min and max. */
  text(value: unknown, pointer: string, min: number, max: number): value is string {
    if (!this.type(value, pointer, "String")) return false;
    const length = (value as string).length;
    if (length < min) this.add(pointer, `expected minLength: ${min}, actual: ${length}`);
    if (length > max) this.add(pointer, `expected maxLength: ${max}, actual: ${length}`);
    return true;
  }

  /** An array with a number of items between min and max. */
  list(value: unknown, pointer: string, min: number, max: number): value is unknown[] {
    if (!this.type(value, pointer, "JSONArray")) return false;
    const count = (value as unknown[]).length;
    if (count < min) this.add(pointer, `expected minimum item count: ${min}, found: ${count}`);
    if (count > max) this.add(pointer, `expected maximum item count: ${max}, found: ${count}`);
    return true;
  }
}
