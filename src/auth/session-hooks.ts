/**
 * Runs code on every HTTP/2 session a client's handler opens. The SDK's HTTP/2 handler creates sessions in its
 * connection manager, which it does not expose: the hook wraps the manager's `connect`. If a later SDK moves it,
 * `onEachSession` says so (returns false) and sessions go as the SDK makes them.
 */
import type { ClientHttp2Session } from "node:http2";
import type { NodeHttp2Handler } from "@smithy/node-http-handler";

interface ConnectionManagerLike {
  connect?: (url: string) => ClientHttp2Session;
}

/** Calls `opened` with each session `handler` opens from now on; false when the handler offers no place to do it. */
export function onEachSession(
  handler: NodeHttp2Handler,
  opened: (session: ClientHttp2Session, authority: string) => void,
): boolean {
  const manager = (handler as unknown as { connectionManager?: ConnectionManagerLike }).connectionManager;
  const connect = manager?.connect;
  if (!manager || typeof connect !== "function") return false;
  manager.connect = (url: string) => {
    const session = connect.call(manager, url);
    opened(session, url);
    return session;
  };
  return true;
}
