/** Checks one value against its KeySpec and turns a zod failure into a sentence a user can act on. */
import type { z } from "zod";
import type { KeySpec, ValueKind } from "./keys.js";

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (value instanceof Date) return "a date";
  if (typeof value === "object") return "a table";
  return `a ${typeof value}`;
}

function matchesKind(value: unknown, kind: ValueKind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "number":
    case "integer":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "table":
      return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
    case "string-array":
      return Array.isArray(value);
  }
}

/** Short printable form of a non-secret value. */
export function display(value: unknown): string {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** "llm.temperature = 1.5" or, for secrets, just "llm.aws_secret_access_key". */
export function label(path: string, value: unknown, secret: boolean | undefined): string {
  return secret || typeof value === "object" ? path : `${path} = ${display(value)}`;
}

/** What a value of the wrong type should have been: "a number between 0 and 1", not just "between 0 and 1". */
function wrongTypeWords(spec: KeySpec): string {
  if (spec.wrongType !== undefined) return spec.wrongType;
  const numeric = spec.kind === "number" || spec.kind === "integer";
  return numeric && !/^an? /.test(spec.expects) ? `a number ${spec.expects}` : spec.expects;
}

/** Why `value` fails `spec`, as "<label> is out of range: must be ...", or undefined when it is valid. */
export function problemWith(path: string, value: unknown, spec: KeySpec): string | undefined {
  const result = spec.schema.safeParse(value);
  if (result.success) return undefined;
  const subject = label(path, value, spec.secret);
  if (!matchesKind(value, spec.kind)) {
    return `${subject} has the wrong type (${describeType(value)}): must be ${wrongTypeWords(spec)}`;
  }
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const bound = issue.code === "too_big" || issue.code === "too_small";
  const verdict = bound && typeof value === "number" ? "is out of range" : "is not allowed";
  return `${subject} ${verdict}: must be ${spec.expects}`;
}
