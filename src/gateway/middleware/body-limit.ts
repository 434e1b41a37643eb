/**
 * Guards a request body before a route reads it: its size (413 over `maxBytes`) and, for a JSON body, how deep it
 * nests (400 over MAX_JSON_DEPTH). A declared Content-Length is checked before reading; a body without one
 * (chunked) is read here, counting. An oversized body is read and discarded (up to DISCARD_MAX_BYTES) before the
 * 413 goes out with `connection: close`: a client still uploading when the answer came and the socket closed would
 * see EPIPE or a reset instead of the 413, and clients retry those (the `openai` client uploads twice more).
 * (Hono's own bodyLimit reads through the fetch Request's body stream, which takes @hono/node-server off its
 * direct, faster way of reading a body.)
 */
import type { Context, MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../json-depth.js";
import { errors } from "../openai-error.js";

/** Past this, an oversized body is not read to its end: the 413 goes out and the connection is cut. */
export const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

export function limitBody(maxBytes: number): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      const length = Number(declared);
      if (length > maxBytes) {
        if (length <= DISCARD_MAX_BYTES) await discard(c, DISCARD_MAX_BYTES);
        throw errors.bodyTooLarge(maxBytes);
      }
    } else if (c.req.raw.body) {
      await readCounting(c, maxBytes);
    }
    if (isJsonLike(c.req.header("content-type")) && nestsDeeperThan(await c.req.text(), MAX_JSON_DEPTH)) {
      throw errors.tooDeep(MAX_JSON_DEPTH);
    }
    await next();
  };
}

/** Reads a body of undeclared length into memory, refusing it (after discarding the rest) past `maxBytes`. */
async function readCounting(c: Context<GatewayEnv>, maxBytes: number): Promise<void> {
  const reader = (c.req.raw.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader, DISCARD_MAX_BYTES - size);
      throw errors.bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks, size) });
}

async function discard(c: Context<GatewayEnv>, bound: number): Promise<void> {
  const stream = c.req.raw.body;
  if (stream) await drain(stream.getReader(), bound);
}

/** Reads and drops up to `bound` more bytes; stops early (leaving the connection to be cut) past it or on error. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, bound: number): Promise<void> {
  let left = bound;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
      if (left < 0) break;
    }
  } catch {
    // the client went away: nothing to answer
  }
  void reader.cancel().catch(() => {});
}

/** JSON and the texts a JSON body is sent as (curl's form default, text/plain); not uploads of other kinds. */
function isJsonLike(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type === "" || type.includes("json") || type.startsWith("text/") || type === "application/x-www-form-urlencoded"
  );
}
