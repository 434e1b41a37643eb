/**
 * One TCP port for HTTP/1.1 and cleartext HTTP/2. Each connection's first bytes are compared with the HTTP/2
 * client preface; the socket then goes to the matching Node server. HTTP/2 sessions read the socket's native
 * handle, which would miss bytes already read for sniffing, so they get a small stream that replays them first.
 */
import http, { type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from "node:http2";
import net from "node:net";
import { Duplex } from "node:stream";
import { Connection } from "./connection.js";
import type { RequestSource, ResponseSink } from "./exchange.js";

const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
/** After close() asks nicely, connections still busy (long streams) are cut after this grace period. */
const CLOSE_GRACE_MS = 1000;

export type RequestHandler = (req: RequestSource, res: ResponseSink) => void;

export interface Listener {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** A duplex over `socket` that first yields `head` (the bytes read while sniffing). */
function replaySocket(socket: net.Socket, head: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(head);
  socket.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on("end", () => stream.push(null));
  // Socket errors end in "close"; the HTTP/2 session only needs to learn that the transport is gone.
  socket.on("close", () => stream.destroy());
  return stream;
}

/** Reads until the first bytes tell HTTP/2 (preface) from anything else, then calls back with what was read. */
function sniffProtocol(socket: net.Socket, decide: (isHttp2: boolean, head: Buffer) => void): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const compared = Math.min(head.length, HTTP2_PREFACE.length);
    const looksHttp2 = head.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
    if (looksHttp2 && head.length < HTTP2_PREFACE.length) return;
    socket.off("data", onData);
    socket.pause();
    decide(looksHttp2, head);
  };
  socket.on("data", onData);
}

export async function listen(host: string, port: number, handler: RequestHandler): Promise<Listener> {
  let closing = false;
  // HTTP/1 sockets and the responses in flight on each: idle ones are destroyed on close, busy ones after.
  const http1Sockets = new Map<net.Socket, Set<ServerResponse>>();
  const http1 = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const inFlight = http1Sockets.get(req.socket as net.Socket);
    inFlight?.add(res);
    res.on("close", () => {
      inFlight?.delete(res);
      if (closing && inFlight?.size === 0) req.socket.destroy();
    });
    if (closing) res.shouldKeepAlive = false;
    handler(req, res);
  });
  http1.on("clientError", (_error, socket) => socket.destroy());
  const h2 = http2.createServer({}, (req: Http2ServerRequest, res: Http2ServerResponse) => handler(req, res));
  const sessions = new Set<Http2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => session.destroy());
    if (closing) session.close();
  });

  const sockets = new Set<net.Socket>();
  const undecided = new Set<net.Socket>();
  // noDelay: small event-stream frames and HTTP/2 frames must not wait for Nagle + delayed ACK (40 ms stalls).
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    undecided.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      undecided.delete(socket);
      http1Sockets.delete(socket);
    });
    socket.on("error", () => socket.destroy());
    // Connection faults (reset, silent) act on the TCP connection under HTTP.
    const connection = new Connection(socket);
    connection.attach(socket);
    sniffProtocol(socket, (isHttp2, head) => {
      undecided.delete(socket);
      if (isHttp2) {
        const stream = replaySocket(socket, head);
        connection.attach(stream);
        h2.emit("connection", stream);
        return;
      }
      // The HTTP/1 server reads the socket as a stream first, so the unshifted bytes come before anything new.
      http1Sockets.set(socket, new Set());
      socket.unshift(head);
      http1.emit("connection", socket);
      socket.resume();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      const cutoff = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, CLOSE_GRACE_MS);
      server.close(() => {
        clearTimeout(cutoff);
        resolve();
      });
      for (const socket of undecided) socket.destroy();
      for (const session of sessions) session.close();
      for (const [socket, inFlight] of http1Sockets) {
        if (inFlight.size === 0) socket.destroy();
        for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      }
    });
    return closed;
  };
  return { host, port: address.port, close };
}
