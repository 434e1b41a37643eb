/**
 * Event streams on the wire: frames decoded from raw bytes with the codec (so prelude and message CRCs are
 * checked), exception frames, mid-stream faults, and a client that leaves early.
 */
import { ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { EventStreamCodec, type Message } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { describe, expect, vi } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { bedrockClient, converseBody, encodedModelPath, HAIKU_3, signedFetch } from "./helpers.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Splits raw event-stream bytes on each prelude's total length and decodes every frame (CRCs verified). */
function decodeFrames(bytes: Uint8Array): Message[] {
  const frames: Message[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; ) {
    const length = view.getUint32(offset);
    frames.push(codec.decode(bytes.subarray(offset, offset + length)));
    offset += length;
  }
  return frames;
}

function header(frame: Message, name: string): unknown {
  return frame.headers[name]?.value;
}

async function rawConverseStream(
  emulator: RunningEmulator,
  text: string,
): Promise<{ response: Response; bytes: Uint8Array }> {
  const response = await signedFetch(emulator, {
    path: encodedModelPath(HAIKU_3, "converse-stream"),
    body: JSON.stringify(converseBody(text)),
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe("ConverseStream framing", () => {
  it("sends CRC-checked frames with Bedrock's headers", async ({ emulator, control }) => {
    await control.respond({ text: "Four score and seven years ago" });
    const { response, bytes } = await rawConverseStream(emulator, "Recite");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const frames = decodeFrames(bytes);
    expect(frames.map((f) => header(f, ":event-type"))).toEqual(
      expect.arrayContaining(["messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]),
    );
    for (const frame of frames) {
      expect(header(frame, ":message-type")).toBe("event");
      expect(header(frame, ":content-type")).toBe("application/json");
    }
    const text = frames
      .filter((f) => header(f, ":event-type") === "contentBlockDelta")
      .map((f) => JSON.parse(toUtf8(f.body)).delta?.text ?? "")
      .join("");
    expect(text).toBe("Four score and seven years ago");
  });

  it("a flipped byte fails the codec's CRC check", async ({ emulator }) => {
    const { bytes } = await rawConverseStream(emulator, "Hello");
    const corrupted = bytes.slice();
    corrupted[20] = (corrupted[20] ?? 0) ^ 0xff;
    expect(() => decodeFrames(corrupted)).toThrow(/checksum/i);
  });
});

describe("faults", () => {
  it("afterEvents delivers K events then an exception frame that ends the stream", async ({ emulator, control }) => {
    await control.fault({ operation: "ConverseStream", error: "ThrottlingException", afterEvents: 2 });
    const { response, bytes } = await rawConverseStream(emulator, "Hello");
    expect(response.status).toBe(200);
    const frames = decodeFrames(bytes);
    expect(frames).toHaveLength(3);
    const last = frames[2] as Message;
    expect(header(last, ":message-type")).toBe("exception");
    expect(header(last, ":exception-type")).toBe("throttlingException");
    expect(JSON.parse(toUtf8(last.body))).toEqual({ message: "Too many requests, please wait before trying again." });
    // The rule was used up: the next stream is whole.
    expect(decodeFrames((await rawConverseStream(emulator, "Hello")).bytes).at(-1)?.headers[":event-type"]?.value).toBe(
      "metadata",
    );
  });

  it("the SDK raises the mid-stream exception after the events before it", async ({ emulator, control }) => {
    await control.fault({
      operation: "ConverseStream",
      error: "ServiceUnavailableException",
      afterEvents: 1,
      message: "Injected outage",
    });
    const response = await bedrockClient(emulator).send(
      new ConverseStreamCommand({ modelId: HAIKU_3, ...converseBody("Hello") } as never),
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of response.stream ?? []) seen.push(Object.keys(event)[0] as string);
      })(),
    ).rejects.toMatchObject({ name: "ServiceUnavailableException", message: "Injected outage" });
    expect(seen).toEqual(["messageStart"]);
  });

  it("count N fails the next N matching calls with the error's status, then lets calls through", async ({
    emulator,
    control,
  }) => {
    await control.fault({
      operation: "Converse",
      error: "ThrottlingException",
      count: 2,
      retryAfterSeconds: 3,
    });
    const statuses: (number | string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await signedFetch(emulator, {
        path: encodedModelPath(HAIKU_3, "converse"),
        body: JSON.stringify(converseBody("Hi")),
      });
      statuses.push(response.status, response.headers.get("x-amzn-errortype"), response.headers.get("retry-after"));
    }
    expect(statuses).toEqual([429, "ThrottlingException", "3", 429, "ThrottlingException", "3", 200, null, null]);
  });

  it("each error name gets Bedrock's status", async ({ emulator, control }) => {
    const expected: Record<string, number> = {
      ModelNotReadyException: 429,
      ModelTimeoutException: 408,
      ModelErrorException: 424,
      ServiceUnavailableException: 503,
      InternalServerException: 500,
      AccessDeniedException: 403,
      ResourceNotFoundException: 404,
    };
    for (const [error, status] of Object.entries(expected)) {
      await control.fault({ operation: "*", error });
      const response = await signedFetch(emulator, {
        path: encodedModelPath(HAIKU_3, "count-tokens"),
        body: JSON.stringify({ input: { converse: converseBody("Hi") } }),
      });
      expect([error, response.status]).toEqual([error, status]);
      expect(response.headers.get("x-amzn-errortype")).toBe(error);
    }
  });

  it("delayMs holds the answer; a client that gives up cancels it", async ({ emulator, control }) => {
    await control.fault({ operation: "Converse", delayMs: 600_000 });
    const abort = new AbortController();
    const pending = signedFetch(emulator, {
      path: encodedModelPath(HAIKU_3, "converse"),
      body: JSON.stringify(converseBody("Hi")),
      signal: abort.signal,
    });
    await vi.waitFor(() => expect(emulator.state.requests).toHaveLength(1));
    expect(emulator.state.requests[0]?.status).toBeUndefined();
    abort.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    await vi.waitFor(() => expect(emulator.state.requests[0]?.clientClosed).toBe(true));
    expect(emulator.state.requests[0]?.status).toBeUndefined();
  });
});

describe("client leaving mid-stream", () => {
  it("is recorded as clientClosed and stops the stream", async ({ emulator, control }) => {
    // Stall the stream after its first event, so the client leaves while the stream is still open.
    await control.fault({ operation: "ConverseStream", afterEvents: 1, delayMs: 600_000 });
    const abort = new AbortController();
    const response = await bedrockClient(emulator).send(
      new ConverseStreamCommand({ modelId: HAIKU_3, ...converseBody("Hello") } as never),
      { abortSignal: abort.signal },
    );
    if (!response.stream) throw new Error("no stream in the response");
    const iterator = response.stream[Symbol.asyncIterator]();
    expect(Object.keys((await iterator.next()).value ?? {})).toEqual(["messageStart"]);
    abort.abort();
    await vi.waitFor(() => expect(emulator.state.requests[0]?.clientClosed).toBe(true));
    expect(emulator.state.requests[0]).toMatchObject({ operation: "ConverseStream", status: 200 });
  });
});
