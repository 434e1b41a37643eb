/**
 * Builds a deterministic JSON value that satisfies a JSON Schema: the emulator's "model output" for structured
 * output and for forced tool calls. Covers the common keywords (type, properties, required, items, enum, const,
 * anyOf/oneOf/allOf, $ref into $defs/definitions, minimum, minItems, minLength, format).
 */
import { isRecord } from "./shapes.js";

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

export function sampleFromSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!isRecord(schema) || depth > MAX_DEPTH) return null;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (typeof schema.$ref === "string") return sampleFromSchema(resolveRef(schema.$ref, root), root, depth + 1);
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const concrete = options.find((o) => !(isRecord(o) && o.type === "null")) ?? options[0];
      return sampleFromSchema(concrete, root, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged = schema.allOf.reduce<Schema>((acc, part) => mergeSchemas(acc, part), {});
    return sampleFromSchema({ ...schema, allOf: undefined, ...merged }, root, depth + 1);
  }
  switch (typeOf(schema)) {
    case "object":
      return sampleObject(schema, root, depth);
    case "array": {
      const count = typeof schema.minItems === "number" ? schema.minItems : 1;
      return Array.from({ length: count }, () => sampleFromSchema(schema.items ?? {}, root, depth + 1));
    }
    case "integer":
      return typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : 1;
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return sampleString(schema);
  }
}

function typeOf(schema: Schema): string {
  const type = schema.type;
  if (Array.isArray(type)) return (type.find((t) => t !== "null") ?? "null") as string;
  if (typeof type === "string") return type;
  if (isRecord(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return "string";
}

function sampleObject(schema: Schema, root: unknown, depth: number): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties);
  const result: Record<string, unknown> = {};
  for (const name of required) result[name] = sampleFromSchema(properties[name] ?? {}, root, depth + 1);
  return result;
}

function sampleString(schema: Schema): string {
  const formats: Record<string, string> = {
    "date-time": "2025-01-01T00:00:00Z",
    date: "2025-01-01",
    time: "00:00:00Z",
    email: "user@example.com",
    uri: "https://example.com",
    uuid: "00000000-0000-4000-8000-000000000000",
  };
  const base = (typeof schema.format === "string" && formats[schema.format]) || "example";
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  return base.padEnd(minLength, "x");
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith("#/")) return {};
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>(
      (node, part) => (isRecord(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined),
      root,
    );
}

function mergeSchemas(a: Schema, b: unknown): Schema {
  if (!isRecord(b)) return a;
  const properties = {
    ...(isRecord(a.properties) ? a.properties : {}),
    ...(isRecord(b.properties) ? b.properties : {}),
  };
  const required = [...(Array.isArray(a.required) ? a.required : []), ...(Array.isArray(b.required) ? b.required : [])];
  return { ...a, ...b, properties, required };
}
