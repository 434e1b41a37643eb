/**
 * The lean path's event-stream reader, for the streamed replies of a client made here (ConverseStream,
 * InvokeModelWithResponseStream).
 *
 * The SDK reads a streamed reply through a chain of async generators: Node's stream iterator, one that splits the
 * bytes into messages, one that decodes each, one that unmarshals each; every event takes a promise hop through each
 * of them. With hundreds of streams open, every stream's generators hold their last event's objects until its next
 * event, long enough to outlive young-generation collections: the gateway's old generation filled with them
 * (measured with allocation sampling, docs/BENCHMARKS.md). This reader splits the frames as the bytes arrive and
 * hands each event on from one iterator, with the SDK's own parts: its codec decodes each message (prelude and
 * message CRC checks, headers) and its message unmarshaller turns it into an event or throws the modelled exception,
 * as in the SDK's chain. Errors, early ends and truncation are the SDK's too (tested side by side in
 * test/auth/lean-send.test.ts). A body that is not a Node stream, and serialising, go to the SDK's own marshaller.
 *
 * It is given to the client through the SDK's public `eventStreamSerdeProvider` setting.
 */
import { finished, Readable } from "node:stream";
import type { Decoder, Encoder, EventStreamMarshaller, EventStreamSerdeProvider, Message } from "@smithy/types";
import { sdkRequire } from "./sdk-modules.js";

/** What the reader needs of the SDK's event-stream module. */
interface EventStreams {
  EventStreamCodec: new (encoder: Encoder, decoder: Decoder) => { decode(message: Uint8Array): Message };
  EventStreamMarshaller: new (options: { utf8Encoder: Encoder; utf8Decoder: Decoder }) => EventStreamMarshaller;
  getMessageUnmarshaller<T>(
    deserializer: (event: Record<string, Message>) => Promise<T>,
    toUtf8: Encoder,
  ): Unmarshaller<T>;
}
type Codec = InstanceType<EventStreams["EventStreamCodec"]>;
/** An event, or undefined for one to skip (unknown to this SDK); throws a modelled exception or an error frame. */
type Unmarshaller<T> = (message: Message) => Promise<T | undefined>;

let eventStreams: EventStreams | undefined;
const sdk = (): EventStreams => {
  eventStreams ??= sdkRequire("@smithy/core/event-streams") as EventStreams;
  return eventStreams;
};

/** The client's `eventStreamSerdeProvider`: called once per client with its UTF-8 encoder and decoder. */
export const leanEventStreamSerdeProvider: EventStreamSerdeProvider = (options) => {
  const { EventStreamCodec, EventStreamMarshaller: SdkMarshaller, getMessageUnmarshaller } = sdk();
  const fallback = new SdkMarshaller(options);
  const codec = new EventStreamCodec(options.utf8Encoder, options.utf8Decoder);
  return {
    deserialize: (body, deserializer) =>
      body instanceof Readable
        ? new EventReader(body, codec, getMessageUnmarshaller(deserializer, options.utf8Encoder))
        : fallback.deserialize(body, deserializer),
    serialize: (input, serializer) => fallback.serialize(input, serializer),
  };
};

/** Frames held while the consumer is behind: past this many bytes the body is paused (HTTP/2 flow control). */
const HIGH_WATER_BYTES = 256 * 1024;

/** One streamed reply's events, in order, as an async iterator over the body's frames. */
class EventReader<T> implements AsyncIterableIterator<T> {
  /** Complete frames not yet handed on (each its own copy, as the SDK's splitter makes). */
  private readonly frames: Uint8Array[] = [];
  private framesHead = 0;
  private heldBytes = 0;
  /** Bytes of a frame still arriving. */
  private partial: Buffer | undefined;
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private stopFinished: () => void;

  constructor(
    private readonly body: Readable,
    private readonly codec: Codec,
    private readonly unmarshal: Unmarshaller<T>,
  ) {
    body.on("data", this.onData);
    // finished() reports what Node's stream iterator would throw (it too watches the reading side only): the
    // stream's error, or a premature close.
    this.stopFinished = finished(body, { writable: false }, (error) => {
      if (error) this.failure ??= error;
      else this.ended = true;
      this.notify();
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      // As Node's stream iterator: an error ends the reading at once, frames still held included.
      if (this.failure !== undefined) {
        this.release();
        throw this.failure;
      }
      const frame = this.take();
      if (frame !== undefined) {
        let event: T | undefined;
        try {
          event = await this.unmarshal(this.codec.decode(frame));
        } catch (error) {
          // A modelled exception, an error frame or a damaged message ends the reply: nothing more is read.
          await this.return();
          throw error;
        }
        if (event === undefined) continue;
        return { value: event, done: false };
      }
      if (this.ended) {
        this.release();
        // As the SDK's splitter: a frame whose length arrived but not all of its bytes is truncated.
        if (this.partial !== undefined && this.partial.length >= 4)
          throw new Error("Truncated event message received.");
        return { value: undefined, done: true };
      }
      if (this.body.isPaused()) this.body.resume();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** The consumer stopped early: the reply is abandoned, as Node's stream iterator does. */
  async return(): Promise<IteratorResult<T>> {
    this.release();
    if (!this.ended) this.body.destroy();
    this.ended = true;
    return { value: undefined, done: true };
  }

  private take(): Uint8Array | undefined {
    if (this.framesHead === this.frames.length) return undefined;
    const frame = this.frames[this.framesHead] as Uint8Array;
    this.frames[this.framesHead++] = EMPTY;
    if (this.framesHead === this.frames.length) {
      this.frames.length = 0;
      this.framesHead = 0;
    }
    this.heldBytes -= frame.byteLength;
    return frame;
  }

  private readonly onData = (chunk: Buffer): void => {
    let data = this.partial === undefined ? chunk : Buffer.concat([this.partial, chunk]);
    this.partial = undefined;
    while (data.length >= 4) {
      const length = data.readUInt32BE(0);
      if (data.length < length) break;
      // A copy of its own, as the SDK's splitter makes: an event's bytes must not keep the whole chunk alive.
      this.frames.push(new Uint8Array(data.subarray(0, length)));
      this.heldBytes += length;
      data = data.subarray(length);
      if (length === 0) break;
    }
    if (data.length > 0) this.partial = Buffer.from(data);
    if (this.heldBytes > HIGH_WATER_BYTES) this.body.pause();
    this.notify();
  };

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private release(): void {
    this.body.off("data", this.onData);
    this.stopFinished();
  }
}

const EMPTY = new Uint8Array(0);
