/**
 * sdk-handler.ts's send(): on a client made by createBedrockRuntimeClient, each command class's middleware stack is
 * resolved once and each call's own handler options (its abort signal, isEventStream) still reach the HTTP handler;
 * the SigV4 signer and the event-stream reader are built once. A client from elsewhere takes the SDK's usual path.
 */
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import type { AbortSignal as SmithyAbortSignal } from "@smithy/types";
import { afterEach, describe, expect, vi } from "vitest";
import { createBedrockRuntimeClient } from "../../src/auth/index.js";
import { type GatedSignal, send } from "../../src/auth/sdk-handler.js";
import { it } from "../support/fixtures.js";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, MODEL_ID, REGION } from "./emulator-helpers.js";

const credentials = { accessKeyId: BUILTIN_ACCESS_KEY_ID, secretAccessKey: BUILTIN_SECRET_ACCESS_KEY };
const clients: BedrockRuntimeClient[] = [];

function clientFor(url: string): BedrockRuntimeClient {
  const client = createBedrockRuntimeClient({ aws_bedrock_runtime_endpoint: url }, {
    method: "static-keys",
    region: REGION,
    credentials,
  } as never);
  clients.push(client);
  return client;
}

function signal(): SmithyAbortSignal & { fire(): void } {
  const s = {
    aborted: false,
    onabort: null as ((this: SmithyAbortSignal, event: unknown) => unknown) | null,
    fire() {
      s.aborted = true;
      s.onabort?.call(s, { type: "abort" });
    },
  };
  return s;
}

const input = (text: string) => ({ modelId: MODEL_ID, messages: [{ role: "user" as const, content: [{ text }] }] });

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  vi.restoreAllMocks();
});

describe("send() on a client made here", () => {
  it("resolves a command class's middleware once, and each call still gets its own reply", async ({
    emulator,
    control,
  }) => {
    const client = clientFor(emulator.url);
    const resolve = vi.spyOn(ConverseCommand.prototype, "resolveMiddleware");
    await control.respond([{ text: "first" }, { text: "second" }, { text: "third" }]);
    const texts = await Promise.all(
      ["a", "b", "c"].map(async (word) => {
        const output = await send(client, new ConverseCommand(input(word)), { abortSignal: signal() });
        return output.output?.message?.content?.[0]?.text;
      }),
    );
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(texts.sort()).toEqual(["first", "second", "third"]);
    // The emulator verified each call's signature and recorded what each one sent.
    const recorded = await control.requests("Converse");
    expect(recorded.map((r) => r.accessKeyId)).toEqual(Array(3).fill(credentials.accessKeyId));
    expect(recorded.map((r) => JSON.stringify(r.body)).sort()).toEqual(
      ["a", "b", "c"].map((word) => JSON.stringify({ messages: input(word).messages })),
    );
  });

  it("builds one SigV4 signer for the client, not one per call", async ({ emulator }) => {
    const client = clientFor(emulator.url);
    const signers = new Set<unknown>();
    const config = client.config as unknown as { signer: (scheme?: unknown) => Promise<unknown> };
    const signerOf = config.signer;
    config.signer = async (scheme) => {
      const signer = await signerOf(scheme);
      signers.add(signer);
      return signer;
    };
    await send(client, new ConverseCommand(input("a")), { abortSignal: signal() });
    await send(client, new ConverseCommand(input("b")), { abortSignal: signal() });
    await send(client, new ConverseStreamCommand(input("c")), { abortSignal: signal(), isEventStream: false });
    expect(signers.size).toBe(1);
  });

  it("aborts the call whose signal fires, and only that one", async ({ emulator, control }) => {
    const client = clientFor(emulator.url);
    await control.fault({ operation: "Converse", delayMs: 5_000, count: 2 });
    const cancelled = signal();
    const kept = signal();
    const first = send(client, new ConverseCommand(input("cancel me")), { abortSignal: cancelled });
    const second = send(client, new ConverseCommand(input("keep me")), { abortSignal: kept });
    await vi.waitFor(async () => expect(await control.requests("Converse")).toHaveLength(2));
    cancelled.fire();
    await expect(first).rejects.toMatchObject({ name: "AbortError" });
    expect(kept.aborted).toBe(false);
    await expect(second).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  }, 15_000);

  it("refuses at once a call whose signal fired before it was sent", async ({ emulator, control }) => {
    const client = clientFor(emulator.url);
    const fired = signal();
    fired.fire();
    await expect(send(client, new ConverseCommand(input("late")), { abortSignal: fired })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(await control.requests("Converse")).toHaveLength(0);
  });

  it("forgets a call's options once it is answered: the same input sent the usual way takes its own", async ({
    emulator,
  }) => {
    const client = clientFor(emulator.url);
    const reused = input("twice");
    await send(client, new ConverseCommand(reused), { abortSignal: signal() });
    const fired = signal();
    fired.fire();
    await expect(client.send(new ConverseCommand(reused), { abortSignal: fired })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("streams on the client's shared session and reads every event", async ({ emulator }) => {
    const client = clientFor(emulator.url);
    for (const word of ["a", "b"]) {
      const output = await send(client, new ConverseStreamCommand(input(word)), {
        abortSignal: signal(),
        isEventStream: false,
      });
      const kinds: string[] = [];
      for await (const event of output.stream ?? []) kinds.push(Object.keys(event)[0] ?? "");
      expect(kinds[0]).toBe("messageStart");
      expect(kinds.at(-1)).toBe("metadata");
    }
  });
});

describe("send() with a signal that holds the call back (ready)", () => {
  /** A signal whose `ready` settles when the test says. */
  function held(): GatedSignal & { fire(): void; release(): void } {
    let release = () => {};
    const gated = Object.assign(signal(), {
      ready: new Promise<void>((resolve) => {
        release = resolve;
      }),
      release: () => release(),
    });
    return gated;
  }

  /** Resolves once the client's SigV4 signer has signed a request. */
  function signedOnce(client: BedrockRuntimeClient): Promise<void> {
    const config = client.config as unknown as { signer: (scheme?: unknown) => Promise<{ sign: Sign }> };
    type Sign = (...args: unknown[]) => Promise<unknown>;
    const signerOf = config.signer;
    return new Promise((signed) => {
      config.signer = async (scheme) => {
        const signer = await signerOf(scheme);
        const sign = signer.sign;
        signer.sign = async (...args) => {
          const request = await sign.apply(signer, args);
          signed();
          return request;
        };
        return signer;
      };
    });
  }

  it("signs the request at once and hands it to the HTTP handler only once ready settles", async ({ emulator }) => {
    const client = clientFor(emulator.url);
    const handle = vi.spyOn(client.config.requestHandler as { handle: (...args: never[]) => unknown }, "handle");
    const signed = signedOnce(client);
    const gated = held();
    const sending = send(client, new ConverseCommand(input("held")), { abortSignal: gated });
    await signed;
    // Every step after signing has had its turn (microtasks and I/O): the request is still held.
    await new Promise((turn) => setImmediate(turn));
    expect(handle).not.toHaveBeenCalled();
    gated.release();
    const output = await sending;
    expect(handle).toHaveBeenCalledTimes(1);
    expect(output.output?.message?.content?.[0]?.text).toContain("held");
  });

  it("sends nothing when the call is aborted while held", async ({ emulator, control }) => {
    const client = clientFor(emulator.url);
    const signed = signedOnce(client);
    const gated = held();
    const sending = send(client, new ConverseCommand(input("refused")), { abortSignal: gated });
    await signed;
    gated.fire();
    gated.release();
    await expect(sending).rejects.toMatchObject({ name: "AbortError" });
    expect(await control.requests("Converse")).toHaveLength(0);
  });

  it("holds a client from elsewhere before its own send", async ({ emulator }) => {
    const client = new BedrockRuntimeClient({ region: REGION, endpoint: emulator.url, credentials, maxAttempts: 1 });
    clients.push(client);
    const own = vi.spyOn(client, "send");
    const gated = held();
    const sending = send(client, new ConverseCommand(input("later")), { abortSignal: gated });
    await Promise.resolve();
    expect(own).not.toHaveBeenCalled();
    gated.release();
    expect((await sending).$metadata.httpStatusCode).toBe(200);
    expect(own).toHaveBeenCalledTimes(1);
  });
});

describe("send() on a client from elsewhere", () => {
  it("is the client's own send with the same options", async ({ emulator }) => {
    const client = new BedrockRuntimeClient({ region: REGION, endpoint: emulator.url, credentials, maxAttempts: 1 });
    clients.push(client);
    const own = vi.spyOn(client, "send");
    const options = { abortSignal: signal() };
    const command = new ConverseCommand(input("hello"));
    const output = await send(client, command, options);
    expect(own).toHaveBeenCalledWith(command, options);
    expect(output.$metadata.httpStatusCode).toBe(200);
  });
});
