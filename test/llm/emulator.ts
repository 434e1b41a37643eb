/** LLM tests against the emulator: the shared fixtures plus `llmFor`, an LLM pointed at this file's emulator. */
import { afterAll, afterEach, beforeAll } from "vitest";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import type { RecordedRequest } from "../../src/emulator/types.js";
import { LLM, type LLMOptions } from "../../src/llm/index.js";
import type { ChatCompletionChunk, ThinkingBlock } from "../../src/llm/types.js";
import { EmulatorControl, test as emulatorTest } from "../support/fixtures.js";
import { llmConfig } from "./helpers.js";

/** An LLM for `model` (us-east-1, the us. profile where needed) signed with the built-in keys. */
export type LLMFor = (model: string, extra?: Record<string, unknown>, options?: LLMOptions) => LLM;

export function emulatorLLM(emulatorUrl: string): LLMFor {
  return (model, extra = {}, options = {}) => {
    const config = llmConfig(model, {
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
      aws_bedrock_runtime_endpoint: emulatorUrl,
      ...extra,
    });
    return new LLM(config, { onWarning: () => {}, ...options });
  };
}

export const test = emulatorTest.extend("llmFor", ({ emulator }) => emulatorLLM(emulator.url));
export const it = test;

export interface EmulatorHandle {
  readonly emulator: RunningEmulator;
  llm: LLMFor;
  control(path: string, body: unknown): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
}

/**
 * @deprecated Use `it` from this module (fixtures `llmFor`, `emulator`, `control`). Kept only so that tests written
 * against it before the fixtures keep running until they move.
 */
export function useEmulator(): EmulatorHandle {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(async () => {
    if (emulator) await new EmulatorControl(emulator.url).reset();
  });
  const running = (): RunningEmulator => {
    if (!emulator) throw new Error("emulator not started");
    return emulator;
  };
  return {
    get emulator() {
      return running();
    },
    llm: (model, extra, options) => emulatorLLM(running().url)(model, extra, options),
    control: async (path, body) => {
      const response = await new EmulatorControl(running().url).send(path, body);
      if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
    },
    requests: () => new EmulatorControl(running().url).requests(),
  };
}

/** Collects a stream: its chunks, the text, the tool calls assembled from deltas, and the last chunk. */
export async function collect(stream: AsyncIterable<ChatCompletionChunk>) {
  const chunks = [];
  let text = "";
  let reasoning = "";
  const calls: { id: string; name: string; arguments: string }[] = [];
  const thinking: ThinkingBlock[] = [];
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
