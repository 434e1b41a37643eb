/**
 * Connection faults need the connection a request came on, below HTTP: the listener gives every TCP connection a
 * handle, reachable from the request (HTTP/1.1's socket, or HTTP/2's session socket, which forwards property reads
 * to the stream the listener handed to the HTTP/2 server). `reset` cuts it with a TCP RST; `silence` leaves it open
 * but reads and writes nothing more, as a peer that vanished without closing (a half-open connection): not even
 * HTTP/2 PINGs are answered.
 */
import type net from "node:net";

export interface ConnectionControl {
  reset(): void;
  silence(): void;
  readonly silenced: boolean;
  /** Resolves once what the server has written so far has left for the client. */
  flushed(): Promise<void>;
}

const CONNECTION = Symbol.for("bedrock-emulator.connection");

export class Connection implements ConnectionControl {
  silenced = false;

  constructor(private readonly socket: net.Socket) {}

  /** Makes the handle reachable from requests on `carriers` (the socket, and the HTTP/2 server's stream over it). */
  attach(...carriers: object[]): void {
    for (const carrier of carriers) (carrier as Record<symbol, unknown>)[CONNECTION] = this;
  }

  reset(): void {
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }

  silence(): void {
    if (this.silenced) return;
    this.silenced = true;
    const socket = this.socket;
    socket.pause();
    // The HTTP servers resume the socket to read the next request: on a silent connection nothing is read again,
    // and nothing written leaves (writes report success, as they would into a connection nobody reads).
    socket.resume = () => socket;
    socket.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => done());
      return true;
    }) as net.Socket["write"];
  }

  async flushed(): Promise<void> {
    // HTTP/2 frames reach the socket a few event-loop turns after the response wrote them (stream, session,
    // the JS stream under the session): wait until the socket has taken nothing new for a few turns.
    const socket = this.socket;
    let quiet = 0;
    for (let written = socket.bytesWritten; quiet < 3 && !socket.destroyed; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const now = socket.bytesWritten;
      quiet = now === written ? quiet + 1 : 0;
      written = now;
    }
    if (socket.writableLength === 0 || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once("drain", resolve);
      socket.once("close", resolve);
    });
  }
}

type Carrier = Record<string | symbol, unknown> | null | undefined;

/**
 * The handle of the connection a request came on, if the listener gave it one. An HTTP/2 request's socket is a
 * proxy of its session's, which Node wraps around the listener's stream (a JSStreamSocket whose `stream` it is).
 */
export function connectionOf(req: { socket?: unknown }): ConnectionControl | undefined {
  const socket = req.socket as Carrier;
  const control = socket?.[CONNECTION] ?? (socket?.stream as Carrier)?.[CONNECTION];
  return control instanceof Connection ? control : undefined;
}
