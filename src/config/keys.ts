/**
 * Tables derived from the section schemas (schema.ts): for every key, its schema, the kind of value it takes, its
 * words and flags; the key lists, the defaults, the secret keys and the credential-source keys. Nothing is declared
 * here that schema.ts does not say.
 */
import { z } from "zod";
import { type CredentialMethod, LLM_SECTION, SERVER_SECTION, SETTINGS, type SettingMeta } from "./schema.js";
import type { LLMSettings } from "./types.js";

export type ValueKind = "string" | "number" | "integer" | "boolean" | "table" | "string-array";

export interface KeySpec extends SettingMeta {
  /** Validates a value that is present. */
  schema: z.ZodType;
  /** The TOML type the value must have (read from the schema). */
  kind: ValueKind;
  /** The fields of a table-valued key (guardrail_config, capabilities). */
  fields?: Readonly<Record<string, KeySpec>>;
  /** The fields of each entry of a table of tables ([server.keys.NAME], [server.limits.NAME]). */
  entryFields?: Readonly<Record<string, KeySpec>>;
}

export type LlmKey = keyof LLMSettings & string;

/** The schema under optional() and default(). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.unwrap());
  return schema;
}

function kindOf(schema: z.core.$ZodType): ValueKind {
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return "string";
  if (schema instanceof z.ZodNumber) return schema.isInt ? "integer" : "number";
  if (schema instanceof z.ZodBoolean) return "boolean";
  if (schema instanceof z.ZodObject || schema instanceof z.ZodRecord) return "table";
  if (schema instanceof z.ZodArray) return "string-array";
  throw new Error(`no value kind for a ${schema._zod.def.type} schema: add one to keys.ts`);
}

function specsOf(section: z.ZodObject): Record<string, KeySpec> {
  const specs: Record<string, KeySpec> = {};
  for (const [key, schema] of Object.entries(section.shape)) {
    const meta = SETTINGS.get(schema);
    if (!meta) throw new Error(`${key} has no metadata: declare it with setting() in schema.ts`);
    const inner = unwrap(schema);
    specs[key] = {
      ...meta,
      schema,
      kind: kindOf(inner),
      ...(inner instanceof z.ZodObject ? { fields: specsOf(inner) } : {}),
      ...(inner instanceof z.ZodRecord && inner._zod.def.valueType instanceof z.ZodObject
        ? { entryFields: specsOf(inner._zod.def.valueType) }
        : {}),
    };
  }
  return specs;
}

/** The [llm] keys, in documentation order. */
export const LLM_KEYS: Readonly<Record<string, KeySpec>> = specsOf(LLM_SECTION);
export const SERVER_KEYS: Readonly<Record<string, KeySpec>> = specsOf(SERVER_SECTION);

const LLM_KEY_SET: ReadonlySet<string> = new Set(Object.keys(LLM_SECTION.shape));

export function isLlmKey(key: string): key is LlmKey {
  return LLM_KEY_SET.has(key);
}

export const LLM_KEY_NAMES: readonly LlmKey[] = Object.keys(LLM_SECTION.shape).filter(isLlmKey);

/** What an [llm] section holds when it sets nothing but its model. */
export const LLM_DEFAULTS = LLM_SECTION.omit({ model: true }).parse({});
export const SERVER_DEFAULTS = SERVER_SECTION.parse({});

/** Keys that choose where credentials come from; a section that sets one inherits none of them from [llm]. */
export const CREDENTIAL_SOURCE_KEYS: readonly LlmKey[] = LLM_KEY_NAMES.filter((key) => LLM_KEYS[key]?.credential);

/** The credential methods a section's values choose, each with the first key that chooses it. */
export function credentialSources(
  values: Partial<Record<string, unknown>>,
): { method: CredentialMethod; key: LlmKey }[] {
  const sources: { method: CredentialMethod; key: LlmKey }[] = [];
  for (const key of CREDENTIAL_SOURCE_KEYS) {
    const method = LLM_KEYS[key]?.credential;
    if (method === undefined || values[key] === undefined) continue;
    if (!sources.some((source) => source.method === method)) sources.push({ method, key });
  }
  return sources;
}

/** Keys whose values are secrets, in [llm] and [server] and their tables: never printed, logged or put in a message. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  [...Object.entries(LLM_KEYS), ...Object.entries(SERVER_KEYS)]
    .flatMap(([key, spec]) => [[key, spec] as const, ...Object.entries(spec.fields ?? {})])
    .filter(([, spec]) => spec.secret)
    .map(([key]) => key),
);
