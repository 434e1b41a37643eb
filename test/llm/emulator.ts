/** Integration helpers: an emulator on port 0, an LLM pointed at it, and its control API. */
import { afterAll, afterEach, beforeAll } from "vitest";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import type { RecordedRequest } from "../../src/emulator/types.js";
import { LLM, type LLMOptions } from "../../src/llm/index.js";
import { llmConfig } from "./helpers.js";

export interface EmulatorHandle {
  readonly emulator: RunningEmulator;
  llm(model: string, extra?: Record<string, unknown>, options?: LLMOptions): LLM;
  control(path: string, body: unknown): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
}

/** Starts one emulator for the file's tests and resets it after each test. */
export function useEmulator(): EmulatorHandle {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(async () => {
    if (emulator) await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
  });
  const running = (): RunningEmulator => {
    if (!emulator) throw new Error("emulator not started");
    return emulator;
  };
  return {
    get emulator() {
      return running();
    },
    llm(model, extra = {}, options = {}) {
      const config = llmConfig(model, {
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: running().url,
        ...extra,
      });
      return new LLM(config, { onWarning: () => {}, ...options });
    },
    async control(path, body) {
      const response = await fetch(`${running().url}/_emulator/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
    },
    async requests() {
      const response = await fetch(`${running().url}/_emulator/requests`);
      const data = (await response.json()) as RecordedRequest[] | { requests: RecordedRequest[] };
      return Array.isArray(data) ? data : data.requests;
    },
  };
}

/** Collects a stream: its chunks, the text, the tool calls assembled from deltas, and the last chunk. */
export async function collect(stream: AsyncIterable<import("../../src/llm/types.js").ChatCompletionChunk>) {
  const chunks = [];
  let text = "";
  let reasoning = "";
  const calls: { id: string; name: string; arguments: string }[] = [];
  const thinking: import("../../src/llm/types.js").ThinkingBlock[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    const delta = chunk.choices[0]?.delta;
    text += delta?.content ?? "";
    reasoning += delta?.reasoning_content ?? "";
    thinking.push(...(delta?.thinking_blocks ?? []));
    for (const call of delta?.tool_calls ?? []) {
      calls[call.index] ??= { id: "", name: "", arguments: "" };
      const slot = calls[call.index] as { id: string; name: string; arguments: string };
      if (call.id) slot.id = call.id;
      if (call.function?.name) slot.name = call.function.name;
      slot.arguments += call.function?.arguments ?? "";
    }
  }
  return { chunks, text, reasoning, calls, thinking, last: chunks[chunks.length - 1] };
}
