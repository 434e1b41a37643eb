/**
 * One HTTP request/response, the same for HTTP/1.1 and HTTP/2 (Node's compatibility API): the request is read in
 * full up front (Bedrock requests are bounded JSON), the response goes through a few typed helpers.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { type ConnectionControl, connectionOf } from "./connection.js";
import type { SignedRequestParts } from "./sigv4.js";

/** What the handlers need of a response; ServerResponse and Http2ServerResponse both provide it. */
export interface ResponseSink {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  setHeader(name: string, value: string | number): unknown;
  write(chunk: Uint8Array | string): boolean;
  end(chunk?: Uint8Array | string): unknown;
  once(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

export interface RequestSource {
  method?: string | undefined;
  url?: string | undefined;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  /** The TCP socket (HTTP/1.1), or a proxy of the HTTP/2 session's. */
  socket?: unknown;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

export interface Exchange {
  method: string;
  /** Path exactly as received (still percent-encoded), without the query string. */
  rawPath: string;
  query: URLSearchParams;
  /** Lower-cased names, HTTP/2 pseudo-headers removed, `host` filled from `:authority`. */
  headers: Record<string, string>;
  /** HTTP/2 `:authority`: the AWS SDK signs it as a header over HTTP/2. */
  authority?: string;
  httpVersion: string;
  body: Buffer;
  /** x-amzn-RequestId of the response. */
  requestId: string;
  res: ResponseSink;
  /** The connection the request came on, for connection faults (absent when not served by the listener). */
  connection?: ConnectionControl;
}

/** Larger bodies than Bedrock's own request limits are refused before buffering. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

function normaliseHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || name.startsWith(":")) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const authority = raw[":authority"];
  if (headers.host === undefined && typeof authority === "string") headers.host = authority;
  return headers;
}

async function readBody(req: RequestSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export async function readExchange(req: RequestSource, res: ResponseSink): Promise<Exchange> {
  const url = req.url ?? "/";
  const queryStart = url.indexOf("?");
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));
  const requestId = randomUUID();
  res.setHeader("x-amzn-RequestId", requestId);
  return {
    method: (req.method ?? "GET").toUpperCase(),
    rawPath,
    query,
    headers: normaliseHeaders(req.headers),
    ...(typeof req.headers[":authority"] === "string" ? { authority: req.headers[":authority"] } : {}),
    httpVersion: req.httpVersion,
    body: await readBody(req),
    requestId,
    res,
    ...optional(connectionOf(req)),
  };
}

function optional(connection: ConnectionControl | undefined): { connection?: ConnectionControl } {
  return connection ? { connection } : {};
}

export function sendBody(
  res: ResponseSink,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  res.statusCode = status;
  res.setHeader("content-type", contentType);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  res.setHeader("content-length", bytes.byteLength);
  res.end(bytes);
}

export function sendJson(res: ResponseSink, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, "application/json", JSON.stringify(body), headers);
}

/** Writes a chunk and waits for the socket to drain when it asks; resolves false if the client went away. */
export function writeChunk(res: ResponseSink, chunk: Uint8Array): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off("close", onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

/** The parts of a request SigV4 covers, with `:authority` among the headers when the client sent one. */
export function signedParts(ex: Exchange): SignedRequestParts {
  const headers = ex.authority === undefined ? ex.headers : { ...ex.headers, ":authority": ex.authority };
  return { method: ex.method, rawPath: ex.rawPath, query: ex.query, headers, body: ex.body };
}
