/**
 * The lean event-stream reader (lean-event-stream.ts) against the SDK's own marshaller, on the same bytes: however
 * the frames are cut into chunks, the same events come out, and a truncated or damaged reply fails the same way.
 * (Whole replies from the emulator, mid-stream exceptions and resets are compared in lean-send.test.ts.)
 */
import { Readable } from "node:stream";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import type { EventStreamMarshaller, Message } from "@smithy/types";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leanEventStreamSerdeProvider } from "../../src/auth/lean-event-stream.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const options = { utf8Encoder: toUtf8, utf8Decoder: fromUtf8 };
const lean = leanEventStreamSerdeProvider(options);

async function sdkMarshaller(): Promise<EventStreamMarshaller> {
  const { eventStreamSerdeProvider } = await import("@smithy/core/event-streams");
  return eventStreamSerdeProvider(options) as EventStreamMarshaller;
}

function frame(type: string, payload: object, messageType = "event"): Uint8Array {
  const headers: Message["headers"] = {
    ":message-type": { type: "string", value: messageType },
    ":content-type": { type: "string", value: "application/json" },
  };
  if (messageType === "event") headers[":event-type"] = { type: "string", value: type };
  if (messageType === "exception") headers[":exception-type"] = { type: "string", value: type };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

/** What the protocol's deserializer does for an event, reduced: the member name and its JSON body. */
async function deserializer(event: Record<string, Message>): Promise<unknown> {
  const [name, message] = Object.entries(event)[0] as [string, Message];
  if (name === "ignored") return { $unknown: event };
  return { [name]: JSON.parse(toUtf8(message.body)) };
}

/** Every event the marshaller gives for these chunks, then how it ended. */
async function read(marshaller: EventStreamMarshaller, chunks: Uint8Array[]): Promise<unknown[]> {
  const seen: unknown[] = [];
  const body = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  try {
    for await (const event of marshaller.deserialize(body, deserializer as never)) seen.push(event);
    seen.push("end");
  } catch (error) {
    seen.push({ error: (error as Error).message, name: (error as Error).name });
  }
  return seen;
}

/** The bytes cut at these offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    if (point > last) chunks.push(bytes.subarray(last, point));
    last = point;
  }
  return chunks;
}

const concat = (frames: Uint8Array[]) => new Uint8Array(Buffer.concat(frames));

const event = fc.record({
  type: fc.constantFrom("contentBlockDelta", "messageStart", "metadata", "ignored"),
  text: fc.string({ maxLength: 300 }),
});

describe("the lean event-stream reader", () => {
  it("gives the SDK's events however the bytes are cut into chunks", async () => {
    const sdk = await sdkMarshaller();
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (events, at) => {
          const bytes = concat(events.map((e) => frame(e.type, { delta: { text: e.text } })));
          const chunks = cut(bytes, at);
          const expected = await read(sdk, chunks);
          expect(expected.at(-1)).toBe("end");
          expect(await read(lean, chunks)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fails a truncated reply as the SDK does, after the whole frames before it", async () => {
    const sdk = await sdkMarshaller();
    const bytes = concat([frame("messageStart", { role: "assistant" }), frame("contentBlockDelta", { delta: {} })]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(fc.nat(), { maxLength: 6 }), async (drop, at) => {
        const chunks = cut(bytes.subarray(0, bytes.length - drop), at);
        expect(await read(lean, chunks)).toEqual(await read(sdk, chunks));
      }),
      { numRuns: 100 },
    );
    const truncated = await read(lean, [bytes.subarray(0, bytes.length - 5)]);
    expect(truncated).toEqual([
      { messageStart: { role: "assistant" } },
      { error: "Truncated event message received.", name: "Error" },
    ]);
  });

  it("throws an exception frame's error and a damaged frame's checksum error as the SDK does", async () => {
    const sdk = await sdkMarshaller();
    const damaged = frame("contentBlockDelta", { delta: { text: "abc" } });
    damaged.set([(damaged[damaged.length - 6] as number) ^ 0xff], damaged.length - 6);
    const replies = [
      [frame("messageStart", {}), frame("throttlingException", { message: "slow down" }, "exception")],
      [frame("messageStart", {}), damaged, frame("metadata", {})],
    ];
    for (const reply of replies) {
      const seen = await read(lean, reply);
      expect(seen).toEqual(await read(sdk, reply));
      expect(seen.at(-1)).toHaveProperty("error");
    }
  });

  it("holds the body back while its events are not read, and reads on when they are", async () => {
    const big = frame("contentBlockDelta", { delta: { text: "x".repeat(64 * 1024) } });
    const body = new Readable({ read() {} });
    const iterator = lean.deserialize(body, deserializer as never)[Symbol.asyncIterator]();
    for (let i = 0; i < 8; i++) body.push(Buffer.from(big));
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).toBe(true);
    body.push(null);
    let count = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      count++;
    }
    expect(count).toBe(8);
  });

  it("destroys the body when the reader stops early", async () => {
    const body = Readable.from([Buffer.from(frame("messageStart", {})), Buffer.from(frame("metadata", {}))]);
    for await (const _ of lean.deserialize(body, deserializer as never)) break;
    expect(body.destroyed).toBe(true);
  });
});
