/** Validation of the two nested tables, guardrail_config and capabilities, field by field. */
import type { z } from "zod";
import { suggestionFor } from "./suggest.js";
import { display } from "./values.js";

export interface TableProblem {
  /** Field inside the table the problem is about, when there is one. */
  field?: string;
  message: string;
}

/** Why `value` fails the table schema, or undefined. `path` is the table's dotted name ("llm.guardrail_config"). */
export function tableProblem(
  path: string,
  value: Record<string, unknown>,
  schema: z.ZodType,
  keys: readonly string[],
  expects: Record<string, string>,
): TableProblem | undefined {
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) {
    return { field: unknown, message: `${path}.${unknown} is not a known key: ${suggestionFor(unknown, keys)}` };
  }
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  const fieldValue = value[field];
  if (fieldValue === undefined) {
    return { message: `${path} is missing ${field}: add ${field} = <${expects[field] ?? "a value"}>` };
  }
  return {
    field,
    message: `${path}.${field} = ${display(fieldValue)} is not allowed: must be ${expects[field] ?? "a valid value"}`,
  };
}
