/**
 * Half-open HTTP/2 sessions: a peer that stops answering without closing (a NAT or load balancer that dropped the
 * flow, a crashed host) leaves every call on the session waiting out its whole timeout, and new calls keep being
 * multiplexed onto it. So each session the client opens is watched: when nothing has been read from it for
 * `ping_interval` (idle, or a stream gone silent), it gets an HTTP/2 PING, which a live peer's HTTP/2 stack answers
 * at once however slow the model is; no answer within `ping_timeout` and the session is destroyed. Its calls then
 * fail with a connection error (ETIMEDOUT) that the retry policy retries on a fresh session, within the call's
 * retry budget, and the pool never hands the dead session out again.
 * Sessions are found through session-hooks.ts; where the SDK offers no place for that, `watchSessions` says so
 * (returns false) and calls go unwatched.
 */
import type { ClientHttp2Session } from "node:http2";
import type { NodeHttp2Handler } from "@smithy/node-http-handler";
import { onEachSession } from "./session-hooks.js";

export interface SessionHealth {
  /** Milliseconds without reading anything from a session before it is pinged. */
  intervalMs: number;
  /** Milliseconds the PING's acknowledgement may take before the session is abandoned. */
  timeoutMs: number;
}

/** The error the calls on an abandoned session fail with: a connection timeout, retried like one. */
export class SessionUnresponsiveError extends Error {
  readonly code = "ETIMEDOUT";

  constructor(authority: string, timeoutMs: number) {
    super(
      `The HTTP/2 connection to ${authority} stopped answering (no reply to a PING within ${timeoutMs} ms); it was abandoned`,
    );
    this.name = "SessionUnresponsiveError";
  }
}

/** Watches every session `handler` opens from now on; false when the handler offers no place to do it. */
export function watchSessions(handler: NodeHttp2Handler, health: SessionHealth): boolean {
  return onEachSession(handler, (session, authority) => watch(session, authority, health));
}

function bytesRead(session: ClientHttp2Session): number {
  return session.socket?.bytesRead ?? 0;
}

function watch(session: ClientHttp2Session, authority: string, { intervalMs, timeoutMs }: SessionHealth): void {
  let lastRead = -1;
  let pinging = false;
  let waitedToConnect = 0;
  const abandon = () => {
    if (!session.destroyed) session.destroy(new SessionUnresponsiveError(authority, timeoutMs));
  };
  const check = () => {
    if (session.destroyed || session.closed) {
      clearInterval(timer);
      return;
    }
    if (session.connecting) {
      // No SETTINGS from the peer yet: a connection that never completes is as dead as one that went quiet.
      waitedToConnect += intervalMs;
      if (waitedToConnect >= intervalMs + timeoutMs) abandon();
      return;
    }
    const read = bytesRead(session);
    if (read !== lastRead || pinging) {
      lastRead = read;
      return;
    }
    pinging = true;
    const deadline = setTimeout(abandon, timeoutMs);
    deadline.unref();
    const answered = () => {
      clearTimeout(deadline);
      pinging = false;
      lastRead = bytesRead(session);
    };
    try {
      if (!session.ping(answered)) answered();
    } catch {
      answered();
    }
  };
  const timer = setInterval(check, intervalMs);
  // Sessions keep the process alive through their sockets while calls use them; the watch must not.
  timer.unref();
  session.once("close", () => clearInterval(timer));
}
