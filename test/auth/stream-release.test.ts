import { once } from "node:events";
import { type ClientHttp2Session, type ClientHttp2Stream, connect, createServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseStreamsOnClose } from "../../src/auth/stream-release.js";

// A real HTTP/2 server on loopback: the release must leave a call's exchange whole and take effect after it.
let server: Http2Server;
let url: string;
const REPLY = "x".repeat(50_000); // more than one DATA frame

beforeAll(async () => {
  server = createServer();
  server.on("stream", (stream) => {
    stream.respond({ ":status": 200, "content-type": "text/plain" });
    stream.end(REPLY);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
});

/** Sends one request on `session` and reads the reply, as the SDK's handler does: listeners on the stream. */
async function exchange(
  session: ClientHttp2Session,
): Promise<{ stream: ClientHttp2Stream; body: string; closes: number }> {
  const stream = session.request({ ":method": "POST", ":path": "/model/m/converse" });
  let closes = 0;
  stream.on("close", () => closes++);
  stream.setEncoding("utf8");
  let body = "";
  stream.on("data", (chunk: string) => {
    body += chunk;
  });
  stream.end("{}");
  await once(stream, "close");
  await new Promise((resolve) => setImmediate(resolve));
  return { stream, body, closes };
}

const sentHeaderRecords = (stream: ClientHttp2Stream) =>
  Object.getOwnPropertySymbols(stream)
    .filter((s) => s.description === "sent-headers" || s.description === "raw-headers")
    .map((s) => (stream as unknown as Record<symbol, unknown>)[s]);

describe("releaseStreamsOnClose", () => {
  it("lets the whole reply through and every 'close' listener run, then drops the stream's listeners and header records", async () => {
    const session = connect(url);
    releaseStreamsOnClose(session);
    try {
      const { stream, body, closes } = await exchange(session);
      expect(body).toBe(REPLY);
      expect(closes).toBe(1);
      expect(stream.eventNames()).toEqual([]);
      expect(stream.sentHeaders).toBeUndefined();
      expect(sentHeaderRecords(stream).every((record) => record === undefined)).toBe(true);
    } finally {
      session.close();
    }
  });

  it("keeps releasing on a session that serves many calls, some of them at once", async () => {
    const session = connect(url);
    releaseStreamsOnClose(session);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => exchange(session)));
      for (const { stream, body } of results) {
        expect(body).toBe(REPLY);
        expect(stream.eventNames()).toEqual([]);
      }
    } finally {
      session.close();
    }
  });

  it("leaves a session it was not applied to as Node makes it", async () => {
    const session = connect(url);
    try {
      const { stream, body } = await exchange(session);
      expect(body).toBe(REPLY);
      expect(stream.eventNames()).toContain("data");
      expect(stream.sentHeaders).toMatchObject({ ":path": "/model/m/converse" });
    } finally {
      session.close();
    }
  });
});
