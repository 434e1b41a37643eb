/**
 * Lets a finished HTTP/2 call's objects die young. Node's `ClientHttp2Session.request()` (20 to 24) binds each
 * request to an AsyncResource whose bound function gets accessor properties wrapped by `util.deprecate`, which
 * changes their functions' prototypes: that leaves a map in the old generation that reaches the stream, and it
 * stays there until the next full collection. Until then every young-generation collection keeps the stream, and
 * whatever the stream still references: its listeners (the SDK's handler closures and, through them, the call),
 * the body collector piped from it, its header records. Each call's objects are then copied to the old generation,
 * which makes the young collections long and frequent pauses (docs/BENCHMARKS.md, "Where the p99 goes";
 * `node bench/gc-promotion.mjs`). So once a stream has closed and its own 'close' listeners have run, it lets go of
 * what it references; the stream itself is all that is left to outlive the call.
 */
import type { ClientHttp2Session, ClientHttp2Stream } from "node:http2";

/** Node's own records of a stream's headers (its `sentHeaders`, and on Node 22+ the raw list). */
const HEADER_RECORDS = new Set(["sent-headers", "raw-headers"]);
/** Their symbols, the same for every stream of this process: looked up on the first stream released. */
let headerRecords: symbol[] | undefined;

/** Makes every stream `session` opens from now on let go of its references once closed. */
export function releaseStreamsOnClose(session: ClientHttp2Session): void {
  const request = session.request;
  session.request = function (this: ClientHttp2Session, ...args: Parameters<typeof request>) {
    const stream = request.apply(this, args);
    // Registered before any caller's listener, so it runs first: wait until every 'close' listener has run.
    stream.once("close", releaseSoon);
    return stream;
  } as typeof request;
}

function releaseSoon(this: ClientHttp2Stream): void {
  setImmediate(release, this);
}

function release(stream: ClientHttp2Stream): void {
  stream.unpipe();
  stream.removeAllListeners();
  headerRecords ??= Object.getOwnPropertySymbols(stream).filter((s) => HEADER_RECORDS.has(s.description ?? ""));
  const records = stream as unknown as Record<symbol, unknown>;
  for (const symbol of headerRecords) records[symbol] = undefined;
}
