/**
 * botocore's published service models (test/fixtures/bedrock-fixtures/botocore) as a checker: is a JSON value a
 * valid instance of a shape? No member the model does not define, every required member present, unions with
 * exactly one member, enums, and JSON types per the rest-json protocol (blobs are base64 strings, documents any).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The recorded fixtures and botocore's models, copied into test/fixtures/bedrock-fixtures (their README gives the
 * sources and licences) so that a clean checkout tests against them; BEDROCK_FIXTURES points at another copy.
 */
function findFixtures(): string {
  const found = process.env.BEDROCK_FIXTURES || join(import.meta.dirname, "..", "fixtures", "bedrock-fixtures");
  if (!existsSync(join(found, "botocore"))) {
    throw new Error(
      `bedrock-fixtures not found at ${found}: set BEDROCK_FIXTURES to the folder holding ai-sdk/ and botocore/`,
    );
  }
  return found;
}

export const FIXTURES = findFixtures();

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, "ai-sdk", name), "utf8");
}

interface ShapeRef {
  shape: string;
}

interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  union?: boolean;
  eventstream?: boolean;
  exception?: boolean;
  /** A Document: any JSON value. */
  document?: boolean;
  error?: { httpStatusCode: number };
}

interface Operation {
  output?: ShapeRef;
  errors?: ShapeRef[];
  http: { requestUri: string };
}

export interface ServiceModel {
  shapes: Record<string, Shape>;
  operations: Record<string, Operation>;
}

export function loadModel(file: string): ServiceModel {
  return JSON.parse(readFileSync(join(FIXTURES, "botocore", file), "utf8")) as ServiceModel;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/** Problems found validating `value` as `shapeName`; empty when it conforms. */
export function shapeProblems(model: ServiceModel, shapeName: string, value: unknown, path = "$"): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: unknown shape ${shapeName}`];
  const wrong = (expected: string) => [`${path}: expected ${expected} (${shapeName}), got ${kind(value)}`];
  if (shape.document) return [];
  switch (shape.type) {
    case "structure":
      return structureProblems(model, shapeName, shape, value, path);
    case "list": {
      if (!Array.isArray(value)) return wrong("a list");
      const member = shape.member?.shape ?? "";
      return value.flatMap((item, i) => shapeProblems(model, member, item, `${path}[${i}]`));
    }
    case "map": {
      if (kind(value) !== "object") return wrong("a map");
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
        ...shapeProblems(model, shape.key?.shape ?? "", k, `${path}{key}`),
        ...shapeProblems(model, shape.value?.shape ?? "", v, `${path}.${k}`),
      ]);
    }
    case "string":
      if (typeof value !== "string") return wrong("a string");
      return shape.enum && !shape.enum.includes(value) ? [`${path}: '${value}' not in ${shapeName} enum`] : [];
    case "blob":
      return typeof value === "string" ? [] : wrong("a base64 string");
    case "boolean":
      return typeof value === "boolean" ? [] : wrong("a boolean");
    case "integer":
    case "long":
      return Number.isInteger(value) ? [] : wrong("an integer");
    case "float":
    case "double":
      return typeof value === "number" ? [] : wrong("a number");
    case "timestamp":
      return typeof value === "number" || typeof value === "string" ? [] : wrong("a timestamp");
    default:
      // document: any JSON value.
      return [];
  }
}

function structureProblems(
  model: ServiceModel,
  shapeName: string,
  shape: Shape,
  value: unknown,
  path: string,
): string[] {
  if (kind(value) !== "object") return [`${path}: expected a structure (${shapeName}), got ${kind(value)}`];
  const record = value as Record<string, unknown>;
  const members = shape.members ?? {};
  const problems: string[] = [];
  for (const [name, member] of Object.entries(record)) {
    const ref = members[name];
    if (!ref) problems.push(`${path}.${name}: not a member of ${shapeName}`);
    else if (member !== undefined) problems.push(...shapeProblems(model, ref.shape, member, `${path}.${name}`));
  }
  for (const name of shape.required ?? []) {
    if (record[name] === undefined) problems.push(`${path}.${name}: required by ${shapeName}, missing`);
  }
  if (shape.union) {
    const set = Object.keys(record).filter((k) => record[k] !== undefined);
    if (set.length !== 1) problems.push(`${path}: union ${shapeName} must set exactly one member, sets [${set}]`);
  }
  return problems;
}

/** The members of an operation's output that are event streams, by union shape name. */
export function streamUnion(model: ServiceModel, operation: string): Shape {
  const output = model.shapes[model.operations[operation]?.output?.shape ?? ""];
  const streamRef = Object.values(output?.members ?? {}).find((ref) => model.shapes[ref.shape]?.eventstream);
  const union = streamRef && model.shapes[streamRef.shape];
  if (!union) throw new Error(`${operation} has no event stream output`);
  return union;
}

/** Problems with one decoded stream frame (event or exception) of an operation. */
export function frameProblems(
  model: ServiceModel,
  operation: string,
  messageType: string,
  type: string,
  payload: unknown,
): string[] {
  const union = streamUnion(model, operation);
  const ref = union.members?.[type];
  if (!ref) return [`${operation} stream defines no member '${type}'`];
  const target = model.shapes[ref.shape];
  if (messageType === "exception" && !target?.exception) return [`'${type}' is an event, sent as an exception`];
  if (messageType === "event" && target?.exception) return [`'${type}' is an exception, sent as an event`];
  return shapeProblems(model, ref.shape, payload, `${operation}.${type}`);
}

/** The error shapes an operation may return, with their HTTP statuses. */
export function operationErrors(model: ServiceModel, operation: string): Map<string, number> {
  const errors = new Map<string, number>();
  for (const ref of model.operations[operation]?.errors ?? []) {
    errors.set(ref.shape, model.shapes[ref.shape]?.error?.httpStatusCode ?? 0);
  }
  return errors;
}
