/**
 * Dropped connections through the public API: a loopback TCP proxy in front of the emulator resets the first
 * connections (at connect, or once the request is on the wire) and forwards the rest; an endpoint with nothing
 * listening refuses. Before any content these are retried like throttling; the last error names the endpoint.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { afterEach, describe, expect } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { ServiceError } from "../../src/errors.js";
import type { EmulatorControl } from "../support/fixtures.js";
import { collect, it, type LLMFor } from "./emulator.js";
import { HAIKU_3 } from "./helpers.js";

const RETRY = { num_retries: 3, retry_min_wait: 1, retry_max_wait: 2, retry_multiplier: 2 };
const ASK = { messages: [{ role: "user" as const, content: "one two three four five six seven eight nine ten" }] };
const ECHO = "Echo: one two three four five six seven eight nine ten";

type ResetWhen = "connect" | "request";

/** Resets the first `resets` connections (RST, as a crashed peer or a load balancer would), forwards the rest. */
class ResettingProxy {
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(
    private readonly target: URL,
    private readonly resets: number,
    private readonly when: ResetWhen,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    this.connections += 1;
    this.sockets.add(client);
    if (this.connections <= this.resets) {
      if (this.when === "connect") client.resetAndDestroy();
      else client.once("data", () => client.resetAndDestroy());
      return;
    }
    const upstream = tcpConnect(Number(this.target.port), this.target.hostname);
    this.sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  }
}

let proxy: ResettingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function behindProxy(emulator: RunningEmulator, llmFor: LLMFor, resets: number, when: ResetWhen) {
  proxy = new ResettingProxy(new URL(emulator.url), resets, when);
  const endpoint = await proxy.listen();
  const delays: number[] = [];
  const llm = llmFor(
    HAIKU_3,
    { ...RETRY, aws_bedrock_runtime_endpoint: endpoint },
    { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
  );
  return { llm, delays, proxy };
}

/**
 * A port nothing listens on, below the kernel's ephemeral range (32768+ on Linux) so that no server another test
 * starts on port 0 can take it between the check and the call.
 */
async function unusedPort(): Promise<number> {
  for (let port = 20_000 + Math.floor(Math.random() * 10_000); ; port += 1) {
    const probe = createServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => probe.close(resolve));
      return port;
    }
  }
}

async function converseCalls(control: EmulatorControl, operation: string): Promise<number> {
  return (await control.requests()).filter((r) => r.operation === operation).length;
}

describe("connections that drop before any content", () => {
  it("retries a completion whose connections are reset at connect", async ({ llmFor, emulator, control }) => {
    const { llm, delays, proxy } = await behindProxy(emulator, llmFor, 2, "connect");
    const response = await llm.completion(ASK);
    expect(response.choices[0]?.message.content).toBe(ECHO);
    expect(delays).toHaveLength(2);
    expect(proxy.connections).toBe(3);
    expect(llm.metrics.calls[0]?.retries).toBe(2);
    expect(await converseCalls(control, "Converse")).toBe(1);
  });

  it("retries a completion whose connection is reset with the request on the wire", async ({ llmFor, emulator }) => {
    const { llm, delays } = await behindProxy(emulator, llmFor, 1, "request");
    const response = await llm.completion(ASK);
    expect(response.choices[0]?.message.content).toBe(ECHO);
    expect(delays).toHaveLength(1);
    expect(llm.metrics.retries).toBe(1);
  });

  it("retries a stream whose connections are reset, transparently", async ({ llmFor, emulator, control }) => {
    for (const when of ["connect", "request"] as const) {
      const { llm, delays } = await behindProxy(emulator, llmFor, 1, when);
      const result = await collect(llm.stream(ASK));
      expect(result.text, when).toBe(ECHO);
      expect(result.chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
      expect(delays, when).toHaveLength(1);
      expect(llm.metrics.calls[0]?.retries, when).toBe(1);
      await proxy?.close();
    }
    expect(await converseCalls(control, "ConverseStream")).toBe(2);
  });

  it("gives up on an endpoint that refuses, after the retries, naming the endpoint and its setting", async ({
    llmFor,
  }) => {
    const port = await unusedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const delays: number[] = [];
    const llm = llmFor(
      HAIKU_3,
      { ...RETRY, num_retries: 2, aws_bedrock_runtime_endpoint: endpoint },
      { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
    );
    for (const call of [() => llm.completion(ASK), () => collect(llm.stream(ASK))]) {
      delays.length = 0;
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      const { message, awsErrorName } = error as ServiceError;
      expect(message).toContain(`Connection to Bedrock at ${endpoint} failed`);
      expect(message).toContain("(3 attempts)");
      expect(message).toContain("ECONNREFUSED");
      expect(message).toContain("aws_bedrock_runtime_endpoint");
      expect(awsErrorName).toBeUndefined();
      expect(delays).toHaveLength(2);
    }
    expect(llm.metrics.retries).toBe(4);
  });
});
