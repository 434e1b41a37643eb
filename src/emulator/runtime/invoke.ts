/**
 * InvokeModel and InvokeModelWithResponseStream: native bodies for Anthropic and Titan models, run through the
 * shared engine. Guardrails come from the X-Amzn-Bedrock-Guardrail* headers, as on Bedrock.
 */
import type { EmulatorState } from "../state.js";
import type { RuntimeCall, RuntimeResult, StreamEvent } from "../types.js";
import { anthropicResponse, anthropicToConverse, malformed } from "./anthropic-native.js";
import { anthropicStreamEvents } from "./anthropic-stream.js";
import { runConverse } from "./engine.js";
import { validation } from "./errors.js";
import { invocationHeaders } from "./invoke-metrics.js";
import type { ResolvedModel } from "./resolve.js";
import type { ConverseBody } from "./shapes.js";
import { titanResponse, titanStreamChunks, titanToConverse } from "./titan-native.js";

function nativeToConverse(call: RuntimeCall, model: ResolvedModel): ConverseBody {
  if (call.body === undefined) throw malformed("#: expected type: JSONObject");
  const body =
    model.spec.provider === "anthropic"
      ? anthropicToConverse(call.body)
      : model.spec.provider === "amazon-titan"
        ? titanToConverse(call.body, model.spec)
        : undefined;
  if (!body) {
    throw validation(
      `The emulator implements the native InvokeModel body of Anthropic and Titan models only; call ${model.spec.id} through Converse.`,
    );
  }
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
  const body = model.spec.provider === "anthropic" ? anthropicResponse(turn, model.spec) : titanResponse(turn);
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
  const turn = runConverse(nativeToConverse(call, model), model, state);
  const payloads =
    model.spec.provider === "anthropic" ? anthropicStreamEvents(turn, model.spec) : titanStreamChunks(turn);
  return { kind: "stream", events: payloads.map(chunk) };
}
