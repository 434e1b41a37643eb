/**
 * A real redis-server for a test, on a free loopback port, with no persistence. Tests that need one skip with a
 * visible note when redis-server is not installed, except in CI, where .ci/run installs it: there they fail.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";

export function redisServerAvailable(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** True in CI (CI, or BEDROCK_LLM_CI as .ci/run sets it): the Redis tests then fail without redis-server. */
export const REDIS_REQUIRED = Boolean(process.env.CI || process.env.BEDROCK_LLM_CI);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[] = [],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** `args`: more redis-server options, e.g. ["--requirepass", "secret"]. */
  static async start(port?: number, args: readonly string[] = []): Promise<RedisServer> {
    const server = new RedisServer(port ?? (await freePort()), args);
    await server.restart();
    return server;
  }

  /** A server on a free port that is not started yet (restart() starts it). */
  static async reserve(): Promise<RedisServer> {
    return new RedisServer(await freePort());
  }

  /** Starts (again) on the same port; resolves when it accepts connections. */
  async restart(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...this.extraArgs],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = "";
      const onData = (data: Buffer) => {
        output += data.toString();
        if (output.includes("Ready to accept connections")) {
          child.stdout?.off("data", onData);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
    child.stdout?.resume();
  }

  /** Freezes it (SIGSTOP): its connections stay open and nothing is answered, as a hung server's. */
  pause(): void {
    this.process?.kill("SIGSTOP");
  }

  /** Thaws a paused server (SIGCONT). */
  resume(): void {
    this.process?.kill("SIGCONT");
  }

  /** Stops it (SIGKILL: as abrupt as a lost server) and waits for the process to be gone. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  }
}
