/** Validates one [llm] or [server] value, plain or table; returns the problem, and the table field it is in. */
import {
  CAPABILITIES_SCHEMA,
  CAPABILITY_EXPECTS,
  CAPABILITY_KEYS,
  GUARDRAIL_EXPECTS,
  GUARDRAIL_KEYS,
  GUARDRAIL_SCHEMA,
  type KeySpec,
} from "./keys.js";
import { type TableProblem, tableProblem } from "./tables.js";
import { problemWith } from "./values.js";

/** `path` is the dotted name used in the message ("llm.sso.temperature"); `key` the bare key. */
export function checkValue(path: string, key: string, value: unknown, spec: KeySpec): TableProblem | undefined {
  const plain = problemWith(path, value, spec);
  if (plain === undefined || spec.kind !== "table") return plain === undefined ? undefined : { message: plain };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { message: plain };
  const table = value as Record<string, unknown>;
  if (key === "guardrail_config") return tableProblem(path, table, GUARDRAIL_SCHEMA, GUARDRAIL_KEYS, GUARDRAIL_EXPECTS);
  return tableProblem(path, table, CAPABILITIES_SCHEMA, CAPABILITY_KEYS, CAPABILITY_EXPECTS);
}
