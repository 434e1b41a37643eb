/** Raw Bedrock Runtime calls against a running emulator: status, headers, JSON body or decoded stream frames. */
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { encodedModelPath, signedFetch } from "./helpers.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export interface Frame {
  messageType: string;
  /** :event-type or :exception-type */
  type: string;
  payload: unknown;
}

export interface WireAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON body, when the body is JSON. */
  json?: unknown;
  /** Decoded event-stream frames, when the body is an event stream. */
  frames?: Frame[];
  text: string;
}

/** Splits event-stream bytes on each prelude's length and decodes every frame (CRCs verified). */
export function decodeFrames(bytes: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; ) {
    const length = view.getUint32(offset);
    const message = codec.decode(bytes.subarray(offset, offset + length));
    const header = (name: string) => String(message.headers[name]?.value ?? "");
    frames.push({
      messageType: header(":message-type"),
      type: header(":event-type") || header(":exception-type"),
      payload: JSON.parse(toUtf8(message.body)),
    });
    offset += length;
  }
  return frames;
}

export async function callRuntime(
  emulator: RunningEmulator,
  modelId: string,
  operation: string,
  body: unknown,
  options: { rawPath?: string; headers?: Record<string, string>; region?: string } = {},
): Promise<WireAnswer> {
  const response = await signedFetch(emulator, {
    path: options.rawPath ?? encodedModelPath(modelId, operation),
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const answer: WireAnswer = { status: response.status, headers: response.headers, text: toUtf8(bytes) };
  if (response.headers.get("content-type") === "application/vnd.amazon.eventstream") {
    answer.frames = decodeFrames(bytes);
  } else {
    try {
      answer.json = JSON.parse(answer.text);
    } catch {
      // Not JSON: the text is all there is.
    }
  }
  return answer;
}
