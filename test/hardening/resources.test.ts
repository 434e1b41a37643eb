// Property (e) of issue 15: after a soak (library and gateway calls, streamed and not, under injected faults,
// timeouts and client aborts), once the gateway and the emulator are closed, no socket, server, timer or child
// process is left open: process.getActiveResourcesInfo() is back to its baseline.
import OpenAI from "openai";
import { describe, expect, it, vi } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, startEmulator } from "../../src/emulator/index.js";
import { startGateway } from "../../src/gateway/index.js";
import { LLM } from "../../src/llm/index.js";
import { API_KEY, control } from "../gateway/harness.js";

/** The kinds that leak: sockets, listeners, timers, child processes. */
const WATCHED = ["TCPSocketWrap", "TCPServerWrap", "Timeout", "ProcessWrap", "Immediate"];

function counts(): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(WATCHED.map((kind) => [kind, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in out) out[kind] = (out[kind] ?? 0) + 1;
  return out;
}

const FAULTS = [
  { error: "ThrottlingException", count: 1 },
  { error: "InternalServerException", count: 2 },
  { error: "ModelNotReadyException", count: 1 },
  { error: "ModelStreamErrorException", count: 1, afterEvents: 2 },
  { error: "ServiceUnavailableException", count: 1, afterEvents: 0 },
  { count: 1, delayMs: 1500 }, // a stall past the call's timeout
  // Not retried: the soak always has failed calls, whether or not a client's abort lands before its call ends.
  { error: "ValidationException", count: 1 },
];

describe("no handles left after a soak", () => {
  it("library and gateway calls under faults, then close: back to the baseline", async () => {
    const baseline = counts();
    const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
    const config = configFromObject(
      {
        llm: {
          model: "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0",
          cross_region_target: "us",
          aws_region_name: "us-east-1",
          aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
          aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
          aws_bedrock_runtime_endpoint: emulator.url,
          num_retries: 2,
          retry_min_wait: 0.01,
          retry_max_wait: 0.02,
          timeout: 1,
        },
        server: { api_keys: [API_KEY] },
      },
      { env: {} },
    );
    const gateway = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog: false });
    const llm = new LLM(config.llm);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "hello" }];
    const outcomes: string[] = [];
    for (let i = 0; i < 24; i++) {
      const fault = FAULTS[i % FAULTS.length];
      if (i % 2 === 0) await control(emulator.url, "faults", { operation: "*", ...fault });
      const streamed = i % 4 < 2;
      const abort = new AbortController();
      if (i % 8 === 7) setTimeout(() => abort.abort(), 5);
      const viaGateway = i % 3 === 0;
      const call = viaGateway
        ? streamed
          ? client.chat.completions
              .create({ model: "default", messages, stream: true }, { signal: abort.signal })
              .then(async (s) => {
                for await (const _ of s) void _;
              })
          : client.chat.completions.create({ model: "default", messages }, { signal: abort.signal })
        : streamed
          ? (async () => {
              for await (const _ of llm.stream({ messages, signal: abort.signal })) void _;
            })()
          : llm.completion({ messages, signal: abort.signal });
      outcomes.push(
        await call.then(
          () => "ok",
          (e: Error) => e.name,
        ),
      );
      await control(emulator.url, "reset", {});
    }
    expect(outcomes).toContain("ok");
    expect(outcomes.some((o) => o !== "ok")).toBe(true);
    await gateway.close();
    await emulator.close();
    await vi.waitFor(
      () => {
        const now = counts();
        // vi.waitFor's own timeout and interval are the two timers it adds while it polls.
        const allowed: Record<string, number> = { ...baseline, Timeout: (baseline.Timeout ?? 0) + 2 };
        for (const kind of WATCHED) {
          expect(now[kind], `${kind}: ${JSON.stringify(now)} vs ${JSON.stringify(baseline)}`).toBeLessThanOrEqual(
            allowed[kind] ?? 0,
          );
        }
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
