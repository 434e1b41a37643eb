/** Drives handleRuntime directly, without sockets: fast unit-level checks of the emulator's Bedrock semantics. */
import { expect } from "vitest";
import { handleRuntime } from "../../src/emulator/runtime/index.js";
import { EmulatorState } from "../../src/emulator/state.js";
import { EmulatorError, type RuntimeCall, type RuntimeOperation, type StreamEvent } from "../../src/emulator/types.js";

export const CLAUDE_37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
export const SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
export const HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";
export const TITAN = "amazon.titan-text-express-v1";

export function freshState(): EmulatorState {
  return new EmulatorState({ credentialTtlSeconds: 3600, defaultRegion: "us-east-1" });
}

export function call(
  operation: RuntimeOperation,
  modelId: string | undefined,
  body: unknown,
  region = "us-east-1",
): RuntimeCall {
  return {
    operation,
    modelId,
    body,
    rawBody: Buffer.from(JSON.stringify(body ?? null)),
    headers: {},
    region,
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    accountId: "123456789012",
  };
}

export function userText(text: string) {
  return { role: "user", content: [{ text }] };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
export async function converse(state: EmulatorState, modelId: string, body: unknown, region?: string): Promise<any> {
  const result = await handleRuntime(call("Converse", modelId, body, region), state);
  if (result.kind !== "json") throw new Error("expected a JSON result");
  expect(result.status).toBe(200);
  return result.body;
}

export async function streamEvents(state: EmulatorState, modelId: string, body: unknown): Promise<StreamEvent[]> {
  const result = await handleRuntime(call("ConverseStream", modelId, body), state);
  if (result.kind !== "stream") throw new Error("expected a stream result");
  const events: StreamEvent[] = [];
  for await (const event of result.events) events.push(event);
  return events;
}

/** The EmulatorError a call is refused with. */
export async function refusal(promise: Promise<unknown>): Promise<EmulatorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EmulatorError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused");
}

export async function converseError(state: EmulatorState, modelId: string | undefined, body: unknown, region?: string) {
  return refusal(handleRuntime(call("Converse", modelId, body, region), state));
}

/** Event payloads of a stream, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON payloads.
export function payloadsOf(events: StreamEvent[]): any[] {
  return events.map((e) => (e.type === "event" ? e.payload : { exception: e.exceptionType }));
}
