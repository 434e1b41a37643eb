/** Validates one [llm] or [server] value, plain or table; returns the problem, and the table field it is in. */
import type { KeySpec } from "./keys.js";
import { suggestionFor } from "./suggest.js";
import { problemWith } from "./values.js";

export interface ValueProblem {
  /** Field inside the table the problem is about, when there is one. */
  field?: string;
  message: string;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Why a table value fails its fields: an unknown field, a missing one, or the first bad one in declared order. */
function tableProblem(
  path: string,
  table: Record<string, unknown>,
  fields: Readonly<Record<string, KeySpec>>,
): ValueProblem | undefined {
  const names = Object.keys(fields);
  const unknown = Object.keys(table).find((field) => !names.includes(field));
  if (unknown !== undefined) {
    return { field: unknown, message: `${path}.${unknown} is not a known key: ${suggestionFor(unknown, names)}` };
  }
  for (const [field, spec] of Object.entries(fields)) {
    const value = table[field];
    if (value === undefined) {
      if (spec.schema.safeParse(undefined).success) continue;
      return { message: `${path} is missing ${field}: add ${field} = <${spec.expects}>` };
    }
    const message = problemWith(`${path}.${field}`, value, spec);
    if (message !== undefined) return { field, message };
  }
  return undefined;
}

/** `path` is the dotted name used in the message ("llm.sso.temperature"). */
export function checkValue(path: string, value: unknown, spec: KeySpec): ValueProblem | undefined {
  if (spec.fields !== undefined && isTable(value)) return tableProblem(path, value, spec.fields);
  if (spec.entryFields !== undefined && isTable(value)) {
    for (const [name, entry] of Object.entries(value)) {
      if (!isTable(entry))
        return { field: name, message: `${path}.${name} must be a table: write it as [${path}.${name}]` };
      const problem = tableProblem(`${path}.${name}`, entry, spec.entryFields);
      if (problem)
        return { field: problem.field === undefined ? name : `${name}.${problem.field}`, message: problem.message };
    }
  }
  const message = problemWith(path, value, spec);
  return message === undefined ? undefined : { message };
}
