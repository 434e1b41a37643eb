// The gateway's front doors as the app registers them (FRONT_DOORS), with what property tests need of each: a
// concrete path, its error shape, and, for the doors known here, a valid body (streamed and not). A door added to
// FRONT_DOORS is fuzzed and bounded by these tests without a line here; a sample body makes it stream-tested too.
import { FRONT_DOORS, type FrontDoor } from "../../src/gateway/front-door.js";
import { errors, toGatewayError } from "../../src/gateway/openai-error.js";

export interface Door {
  method: FrontDoor["method"];
  /** The route with its parameters filled in. */
  path: string;
  /** The shape (keys and value types, recursively) of this door's error body. */
  errorShape: string;
  /** A body this door takes; undefined for a door this file does not know (fuzzed only). */
  sample?: (stream: boolean) => Record<string, unknown>;
  /** How its stream ends well: its terminator. */
  streamEnd?: (text: string) => boolean;
}

const hello = "hello";
const SAMPLES: Record<string, Pick<Door, "sample" | "streamEnd">> = {
  "POST /v1/chat/completions": {
    sample: (stream) => ({ model: "default", messages: [{ role: "user", content: hello }], stream }),
    // [DONE], or OpenAI's in-band error as the last event
    streamEnd: (text) => /data: \[DONE\]\n\n$/.test(text) || /data: \{"error":[^\n]*\n\n$/.test(text),
  },
  "POST /v1/responses": {
    sample: (stream) => ({ model: "default", input: hello, stream }),
    streamEnd: (text) => /event: (response\.(completed|incomplete|failed)|error)\ndata: [^\n]*\n\n$/.test(text),
  },
  "POST /v1/messages": {
    sample: (stream) => ({ model: "default", max_tokens: 64, messages: [{ role: "user", content: hello }], stream }),
    streamEnd: (text) => /event: (message_stop|error)\ndata: [^\n]*\n\n$/.test(text),
  },
  "POST /v1/messages/count_tokens": {
    sample: () => ({ model: "default", messages: [{ role: "user", content: hello }] }),
  },
};

/** Keys and JSON types of a value, recursively: two error bodies of one API have the same shape. */
export function shapeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    // Nullable fields (param, code) may be a string or null: their presence is the shape.
    return `{${entries.map(([k, v]) => `${k}:${v === null || typeof v === "string" ? "string?" : shapeOf(v)}`).join(",")}}`;
  }
  return typeof value;
}

/** The error shape of everything outside a door's own path (unknown paths, /v1/models): OpenAI's. */
export const OPENAI_ERROR_SHAPE = shapeOf(toGatewayError(errors.badJson()).body());

export function frontDoors(): Door[] {
  return FRONT_DOORS.map((door) => {
    const format = door.toError ?? toGatewayError;
    return {
      method: door.method,
      path: door.path.replace(/:[a-z_]+/gi, "resp_doesnotexist"),
      errorShape: shapeOf(format(errors.badJson()).body()),
      ...SAMPLES[`${door.method} ${door.path}`],
    };
  });
}
