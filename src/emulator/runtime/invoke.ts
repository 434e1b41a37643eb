/**
 * InvokeModel and InvokeModelWithResponseStream: each provider's native body is translated to Converse, run through
 * the shared engine, and rendered back in the provider's native shape. Guardrails come from the
 * X-Amzn-Bedrock-Guardrail* headers, as on Bedrock.
 */
import type { EmulatorState } from "../state.js";
import type { RuntimeCall, RuntimeResult, StreamEvent } from "../types.js";
import { anthropicToConverse } from "./anthropic-native.js";
import { anthropicResponse } from "./anthropic-response.js";
import { anthropicStreamEvents } from "./anthropic-stream.js";
import { runConverse } from "./engine.js";
import { malformed, validation } from "./errors.js";
import { invocationHeaders } from "./invoke-metrics.js";
import type { ModelSpec, Provider } from "./models.js";
import { novaResponse, novaStreamChunks, novaToConverse } from "./nova-native.js";
import { paced } from "./pacing.js";
import { promptResponse, promptStreamChunks, promptToConverse } from "./prompt-native.js";
import type { ResolvedModel } from "./resolve.js";
import { type ConverseBody, isRecord, type Turn } from "./shapes.js";
import { titanResponse, titanStreamChunks, titanToConverse } from "./titan-native.js";

interface NativeCodec {
  toConverse(raw: unknown, spec: ModelSpec): ConverseBody;
  response(turn: Turn, spec: ModelSpec): unknown;
  streamChunks(turn: Turn, spec: ModelSpec): Iterable<unknown>;
}

/** Chat models' native bodies by provider (Cohere serves only embeddings, see embeddings.ts). */
const CODECS: Partial<Record<Provider, NativeCodec>> = {
  anthropic: { toConverse: anthropicToConverse, response: anthropicResponse, streamChunks: anthropicStreamEvents },
  "amazon-titan": { toConverse: titanToConverse, response: titanResponse, streamChunks: titanStreamChunks },
  "amazon-nova": { toConverse: novaToConverse, response: novaResponse, streamChunks: novaStreamChunks },
  meta: { toConverse: promptToConverse, response: promptResponse, streamChunks: promptStreamChunks },
  mistral: { toConverse: promptToConverse, response: promptResponse, streamChunks: promptStreamChunks },
};

function codecOf(spec: ModelSpec): NativeCodec {
  const codec = CODECS[spec.provider];
  if (!codec) throw validation(`The provided model doesn't support InvokeModel. Model ID: ${spec.id}`);
  return codec;
}

function nativeToConverse(call: RuntimeCall, model: ResolvedModel): ConverseBody {
  if (call.body === undefined) throw malformed("#: expected type: JSONObject");
  const body = codecOf(model.spec).toConverse(call.body, model.spec);
  const guardrailIdentifier = call.headers["x-amzn-bedrock-guardrailidentifier"];
  if (guardrailIdentifier) {
    body.guardrailConfig = {
      guardrailIdentifier,
      guardrailVersion: call.headers["x-amzn-bedrock-guardrailversion"],
      trace: call.headers["x-amzn-bedrock-trace"]?.toLowerCase(),
    };
  }
  return body;
}

function chunk(payload: unknown): StreamEvent {
  return {
    type: "event",
    eventType: "chunk",
    payload: { bytes: Buffer.from(JSON.stringify(payload)).toString("base64") },
  };
}

export function invokeModel(call: RuntimeCall, model: ResolvedModel, state: EmulatorState): RuntimeResult {
  const turn = runConverse(nativeToConverse(call, model), model, state);
  const body = codecOf(model.spec).response(turn, model.spec);
  return {
    kind: "json",
    status: 200,
    body,
    headers: { ...invocationHeaders(turn), "content-type": "application/json" },
  };
}

export function invokeModelWithResponseStream(
  call: RuntimeCall,
  model: ResolvedModel,
  state: EmulatorState,
): RuntimeResult {
  const turn = runConverse(nativeToConverse(call, model), model, state, "InvokeModelWithResponseStream");
  const payloads = codecOf(model.spec).streamChunks(turn, model.spec);
  if (!turn.pace) return { kind: "stream", events: lazyMap(payloads, chunk) };
  return { kind: "stream", events: paced(payloads, carriesText, chunk, turn.pace.eventsPerSecond, call.signal) };
}

function* lazyMap<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

/** Chunks that carry reply text in each provider's stream shape: the ones a paced stream spaces out. */
function carriesText(payload: unknown): boolean {
  if (!isRecord(payload)) return false;
  if (payload.type === "content_block_delta") return true;
  if (isRecord(payload.contentBlockDelta)) return true;
  return (
    typeof payload.outputText === "string" || typeof payload.generation === "string" || Array.isArray(payload.outputs)
  );
}
