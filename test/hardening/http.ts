// A raw HTTP exchange over a fresh connection (no pooling), so a test sees exactly what the server did: the
// status and body it answered, or the socket error (EPIPE, reset) a client would get.
import { request } from "node:http";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent with Content-Length; chunks are sent chunked. The path is sent as given (not normalised). */
  body?: string | Buffer;
  chunks?: (string | Buffer)[];
}

export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
    const outgoing = request({ hostname, port, path: req.path, method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    outgoing.on("error", reject);
    if (req.chunks) {
      for (const chunk of req.chunks) outgoing.write(chunk);
      outgoing.end();
    } else outgoing.end(req.body);
  });
}
