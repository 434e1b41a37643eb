/** application/vnd.amazon.eventstream framing (prelude, headers, payload, CRC32s) with @smithy/eventstream-codec. */
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { StreamEvent } from "./types.js";

export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function stringHeader(value: string) {
  return { type: "string" as const, value };
}

export function encodeStreamEvent(event: StreamEvent): Uint8Array {
  if (event.type === "event") {
    return codec.encode({
      headers: {
        ":event-type": stringHeader(event.eventType),
        ":content-type": stringHeader("application/json"),
        ":message-type": stringHeader("event"),
      },
      body: fromUtf8(JSON.stringify(event.payload)),
    });
  }
  return codec.encode({
    headers: {
      ":exception-type": stringHeader(event.exceptionType),
      ":content-type": stringHeader("application/json"),
      ":message-type": stringHeader("exception"),
    },
    body: fromUtf8(JSON.stringify(event.payload)),
  });
}
