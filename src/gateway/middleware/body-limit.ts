/**
 * Refuses (413) a request body over `maxBytes` before a route reads it. A declared Content-Length is checked
 * without reading (Node's parser holds the body to it); a body without one (chunked) is read here, counting, and
 * refused as soon as it would exceed the limit. (Hono's own bodyLimit reads through the fetch Request's body stream,
 * which takes @hono/node-server off its direct, faster way of reading a body.)
 */
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context.js";
import { errors } from "../openai-error.js";

export function limitBody(maxBytes: number): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (Number(declared) > maxBytes) throw errors.bodyTooLarge(maxBytes);
      return next();
    }
    const stream = c.req.raw.body;
    if (!stream) return next();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => {});
        throw errors.bodyTooLarge(maxBytes);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks, size) });
    await next();
  };
}
