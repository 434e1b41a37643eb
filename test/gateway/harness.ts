// Shared set-up for gateway tests: an emulator on port 0, a config pointing at it, a gateway on port 0.
import { configFromObject } from "../../src/config/index.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import type { AccessLogEntry } from "../../src/gateway/index.js";
import { type GatewayOptions, type RunningGateway, startGateway } from "../../src/gateway/index.js";

export const API_KEY = "sk-gateway-test-0123456789";
export const MODEL = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0";
export const HAIKU = "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0";

export interface Harness {
  emulator: RunningEmulator;
  gateway: RunningGateway;
  logs: AccessLogEntry[];
  close(): Promise<void>;
}

export async function startHarness(
  server: Record<string, unknown> = {},
  emulator?: RunningEmulator,
  /** More [llm] keys and [llm.NAME] sections. */
  llm: Record<string, unknown> = {},
  options: GatewayOptions = {},
): Promise<Harness> {
  const emu = emulator ?? (await startEmulator({ host: "127.0.0.1", port: 0 }));
  const config = configFromObject(
    {
      llm: {
        model: MODEL,
        cross_region_target: "us",
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: emu.url,
        aws_sts_endpoint: emu.url,
        caching_prompt: true,
        num_retries: 1,
        retry_min_wait: 0.01,
        retry_max_wait: 0.02,
        haiku: { model: HAIKU },
        guarded: { guardrail_config: { guardrailIdentifier: "gw-guard", guardrailVersion: "1" } },
        ...llm,
      },
      server: { api_keys: [API_KEY], ...server },
    },
    { env: {} },
  );
  const logs: AccessLogEntry[] = [];
  const gateway = await startGateway(config, {
    host: "127.0.0.1",
    port: 0,
    accessLog: (e) => logs.push(e),
    ...options,
  });
  return {
    emulator: emu,
    gateway,
    logs,
    async close() {
      await gateway.close();
      if (!emulator) await emu.close();
    },
  };
}

export async function control(emulatorUrl: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emulatorUrl}/_emulator/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`emulator control ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

export interface RecordedCall {
  operation: string;
  modelId?: string;
  body: unknown;
  status?: number;
  clientClosed?: boolean;
}

export async function recordedRequests(emulatorUrl: string): Promise<RecordedCall[]> {
  const data = (await control(emulatorUrl, "requests")) as RecordedCall[] | { requests: RecordedCall[] };
  return Array.isArray(data) ? data : data.requests;
}

/** Polls until `check` returns a value, or fails after `timeoutMs` (an event we cannot subscribe to). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A system prompt above the caching minimum of every Claude model. */
export function longSystemPrompt(): string {
  return Array.from(
    { length: 400 },
    (_, i) => `Guideline ${i}: answer briefly, cite the handbook, and keep the kitchen clean.`,
  ).join(" ");
}
