/**
 * A server that cannot bind gets a sentence with the fix instead of Node's raw `listen EADDRINUSE`. These are
 * mistakes in how the command was called (exit 2), not runtime failures.
 */
import { UsageError } from "./exit.js";

export interface ListenTarget {
  host: string;
  port: number;
  /** Where else the port can be set, e.g. "[server] port"; --port is always named. */
  portSetting?: string;
}

/** The UsageError for a failed bind, or undefined when the error is something else. */
export function listenFailure(error: unknown, { host, port, portSetting }: ListenTarget): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const other = portSetting ? `--port N (or ${portSetting})` : "--port N";
  switch (code) {
    case "EADDRINUSE":
      return new UsageError(
        `port ${port} on ${host} is already in use by another program (perhaps another instance of this one): choose another port with ${other}, or --port 0 for any free port (the first line printed names it)`,
      );
    case "EACCES":
      return new UsageError(
        `not allowed to listen on port ${port} of ${host} (ports below 1024 need privileges): choose a port from 1024 up with ${other}, or --port 0 for any free port`,
      );
    case "EADDRNOTAVAIL":
      return new UsageError(
        `--host ${host} is not an address of this machine: use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its addresses`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new UsageError(`--host ${host} could not be resolved to an address: use an IP address such as 127.0.0.1`);
    default:
      return undefined;
  }
}
