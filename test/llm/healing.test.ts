/**
 * Connections that heal, through the public API: resets and exception frames before any content are retried;
 * a half-open HTTP/2 connection (the emulator's silent fault: open, answering nothing, not even PINGs) is found
 * by a PING and abandoned within ping_interval + ping_timeout, and the call goes on on a fresh connection; an
 * idle connection that went silent is abandoned before a call lands on it.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, vi } from "vitest";
import { classifyError } from "../../src/bedrock/errors.js";
import { streamException } from "../../src/bedrock/stream.js";
import { ServiceError } from "../../src/errors.js";
import { collect, it, type LLMFor } from "./emulator.js";
import { HAIKU_3 } from "./helpers.js";
import { ASK, ECHO } from "./routing-helpers.js";

/** Pinged after 0.2 s of silence, abandoned 0.2 s later; the call itself could wait 60 s. */
const QUICK_PINGS = { ping_interval: 0.2, ping_timeout: 0.2, timeout: 60, num_retries: 2 };
/** Silence found within 2 intervals + the ping timeout; the rest is slack for a loaded machine. */
const BOUND_MS = 5_000;

function quickLLM(llmFor: LLMFor, extra: Record<string, unknown> = {}) {
  const delays: number[] = [];
  const llm = llmFor(HAIKU_3, { ...QUICK_PINGS, ...extra }, { sleep: async (ms) => void delays.push(ms) });
  return { llm, delays };
}

describe("resets before any content", () => {
  it("are retried, for a completion and for a stream", async ({ control, llmFor }) => {
    await control.fault({ operation: "Converse", connection: "reset" });
    await control.fault({ operation: "ConverseStream", connection: "reset", afterEvents: 1 });
    const { llm, delays } = quickLLM(llmFor);
    expect((await llm.completion(ASK)).choices[0]?.message.content).toBe(ECHO);
    const streamed = await collect(llm.stream(ASK));
    expect(streamed.text).toBe(ECHO);
    expect(delays).toHaveLength(2);
    expect(llm.metrics.retries).toBe(2);
  });

  it("after content end the stream with the text delivered", async ({ control, llmFor }) => {
    await control.fault({ operation: "ConverseStream", connection: "reset", afterEvents: 3 });
    const { llm, delays } = quickLLM(llmFor);
    const error = await collect(llm.stream(ASK)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).partialText).toBe("Echo: one two three four five ");
    expect(delays).toHaveLength(0);
  });
});

describe("exception frames before any content", () => {
  const retried = ["ThrottlingException", "InternalServerException", "ServiceUnavailableException"];

  it.for(retried)("%s is retried like the same error sent as an HTTP status", async (error, { control, llmFor }) => {
    for (const afterEvents of [0, 1]) {
      await control.fault({ operation: "ConverseStream", error, afterEvents });
    }
    const { llm, delays } = quickLLM(llmFor);
    const first = await collect(llm.stream(ASK));
    const second = await collect(llm.stream(ASK));
    expect([first.text, second.text]).toEqual([ECHO, ECHO]);
    expect(first.chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
    expect(delays).toHaveLength(2);
  });

  it("a validation frame is not retried", async ({ control, llmFor }) => {
    await control.fault({ operation: "ConverseStream", error: "ValidationException", afterEvents: 1 });
    const { llm, delays } = quickLLM(llmFor);
    await expect(collect(llm.stream(ASK))).rejects.toMatchObject({ code: "validation" });
    expect(delays).toHaveLength(0);
  });

  it("a modelStreamErrorException frame is judged by the status of what it wraps; modelTimeoutException is retried", () => {
    const context = { modelId: HAIKU_3, region: "us-east-1", section: "llm" };
    const frame = (event: object) => classifyError(streamException(event as never), context);
    expect(frame({ modelStreamErrorException: { message: "took too long", originalStatusCode: 408 } }).retryable).toBe(
      true,
    );
    expect(frame({ modelStreamErrorException: { message: "bad input", originalStatusCode: 400 } }).retryable).toBe(
      false,
    );
    // Without the status of what it wraps it is judged as itself: 424, a model failure, not retried.
    expect(frame({ modelStreamErrorException: { message: "failed" } }).retryable).toBe(false);
    expect(frame({ modelStreamErrorException: { message: "busy", originalStatusCode: 429 } }).retryable).toBe(true);
    // The InvokeModel stream's own frame.
    expect(frame({ modelTimeoutException: { message: "took too long" } })).toMatchObject({ retryable: true });
  });
});

describe("exception frames before any content on the InvokeModel stream (native Anthropic calls)", () => {
  const body = { max_tokens: 64, messages: [{ role: "user", content: "hello there" }] };

  it.for(["ModelTimeoutException", "ThrottlingException", "ServiceUnavailableException"])(
    "%s is retried before the first content block",
    async (error, { control, llmFor }) => {
      for (const afterEvents of [0, 1]) {
        await control.fault({ operation: "InvokeModelWithResponseStream", error, afterEvents });
      }
      const { llm, delays } = quickLLM(llmFor);
      for (let call = 0; call < 2; call += 1) {
        const events = [];
        for await (const event of llm.streamAnthropic(body)) events.push(event);
        expect(events.filter((event) => event.type === "message_start")).toHaveLength(1);
        expect(events.at(-1)?.type).toBe("message_stop");
      }
      expect(delays).toHaveLength(2);
      expect(llm.metrics.retries).toBe(2);
    },
  );
});

describe("half-open connections", () => {
  it("are abandoned within a bound, and the completion goes on on a fresh connection", async ({ control, llmFor }) => {
    await control.fault({ operation: "Converse", connection: "silent" });
    const { llm, delays } = quickLLM(llmFor);
    const started = performance.now();
    const response = await llm.completion(ASK);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(response.choices[0]?.message.content).toBe(ECHO);
    expect(delays).toHaveLength(1);
    const requests = await control.requests("Converse");
    expect(requests.map((r) => r.connectionFault)).toEqual(["silent", undefined]);
  });

  it("end a stream that went silent after content within the bound, with the text delivered", async ({
    control,
    llmFor,
  }) => {
    await control.fault({ operation: "ConverseStream", connection: "silent", afterEvents: 3 });
    const { llm } = quickLLM(llmFor);
    const started = performance.now();
    const error = await collect(llm.stream(ASK)).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).partialText).toBe("Echo: one two three four five ");
    expect((error as Error).message).toContain("stopped answering");
  });

  it("retry a stream that went silent before content on a fresh connection", async ({ control, llmFor }) => {
    await control.fault({ operation: "ConverseStream", connection: "silent", afterEvents: 1 });
    const { llm } = quickLLM(llmFor);
    const started = performance.now();
    expect((await collect(llm.stream(ASK))).text).toBe(ECHO);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });

  it("leave a connection alone while it answers its pings, however long the model takes", async ({
    control,
    llmFor,
  }) => {
    await control.fault({ operation: "Converse", delayMs: 1_000 });
    const { llm, delays } = quickLLM(llmFor);
    expect((await llm.completion(ASK)).choices[0]?.message.content).toBe(ECHO);
    expect(delays).toHaveLength(0);
    expect(await control.requests("Converse")).toHaveLength(1);
  });
});

/** Forwards TCP to the emulator until frozen; then reads and writes nothing, leaving both sockets open. */
class FreezingProxy {
  readonly clients: Socket[] = [];
  closedClients = 0;
  private frozen = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly target: URL) {
    this.server = createServer((client) => {
      this.clients.push(client);
      this.sockets.add(client);
      client.on("close", () => {
        this.closedClients += 1;
      });
      const upstream = tcpConnect(Number(this.target.port), this.target.hostname);
      this.sockets.add(upstream);
      client.on("data", (chunk) => !this.frozen && upstream.write(chunk));
      upstream.on("data", (chunk) => !this.frozen && client.write(chunk));
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("end", () => upstream.end());
      upstream.on("end", () => client.end());
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    return `http://127.0.0.1:${address.port}`;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let proxy: FreezingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe("idle connections", () => {
  it("are pinged, and abandoned when the peer has gone silent, before a call lands on them", async ({
    emulator,
    llmFor,
  }) => {
    proxy = new FreezingProxy(new URL(emulator.url));
    const endpoint = await proxy.listen();
    const { llm } = quickLLM(llmFor, { aws_bedrock_runtime_endpoint: endpoint });
    expect((await llm.completion(ASK)).choices[0]?.message.content).toBe(ECHO);
    expect(proxy.clients).toHaveLength(1);
    proxy.freeze();
    const frozen = proxy;
    // The client closes the connection it could no longer hear from.
    await vi.waitFor(() => expect(frozen.closedClients).toBe(1), { timeout: BOUND_MS, interval: 50 });
    frozen.thaw();
    expect((await llm.completion(ASK)).choices[0]?.message.content).toBe(ECHO);
    expect(frozen.clients).toHaveLength(2);
    expect(llm.metrics.retries).toBe(0);
  });
});
