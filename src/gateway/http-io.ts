/** Small HTTP helpers: bounded body reading, JSON answers, OpenAI-format errors. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { errors, type GatewayError } from "./openai-error.js";

/** Reads the whole body, refusing (413) as soon as it would exceed `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(errors.bodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(errors.bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: GatewayError): void {
  // A refused oversized body is not read further: close the connection rather than drain it.
  const headers = error.status === 413 ? { ...error.headers, connection: "close" } : error.headers;
  sendJson(res, error.status, error.body(), headers);
}
