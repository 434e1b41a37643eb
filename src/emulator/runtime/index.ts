/**
 * Bedrock Runtime semantics behind the emulator's transport: one entry point per authenticated call.
 * See docs/EMULATOR-MODEL.md for the model table, reply rule, token rule, caching, thinking and guardrails.
 */
import type { EmulatorState } from "../state.js";
import type { RuntimeCall, RuntimeResult, StreamEvent } from "../types.js";
import { applyGuardrail } from "./apply-guardrail.js";
import { converseResponse, converseStreamEvents } from "./converse.js";
import { countTokens } from "./count-tokens.js";
import { invokeEmbedding, notForEmbeddings } from "./embeddings.js";
import { runConverse } from "./engine.js";
import { invokeModel, invokeModelWithResponseStream } from "./invoke.js";
import { paced } from "./pacing.js";
import { resolveModel } from "./resolve.js";

export { EMBEDDING_MODELS } from "./embedding-models.js";
export { cosine, embedText } from "./embedding-vectors.js";
export { findModel, MODELS, type ModelSpec } from "./models.js";
export { signReasoning } from "./thinking.js";
export { blockTokens, textTokens } from "./tokens.js";

/**
 * Handles one authenticated Bedrock Runtime call. Throws EmulatorError for Bedrock's error responses; the transport
 * renders them (JSON body + x-amzn-ErrorType) or, mid-stream, as exception frames. Validation always happens
 * before a stream result is returned, so a bad request gets an HTTP error, never a frame.
 */
export async function handleRuntime(call: RuntimeCall, state: EmulatorState): Promise<RuntimeResult> {
  if (call.operation === "ApplyGuardrail") return { kind: "json", status: 200, body: applyGuardrail(call, state) };
  const model = resolveModel(call.modelId, call.region, call.operation !== "CountTokens", state.applicationProfiles);
  const embedding = model.spec.embedding;
  if (embedding && call.operation !== "CountTokens") {
    if (call.operation !== "InvokeModel") throw notForEmbeddings(call.operation);
    return invokeEmbedding(call.body, embedding);
  }
  switch (call.operation) {
    case "Converse":
      return {
        kind: "json",
        status: 200,
        body: converseResponse(runConverse(call.body, model, state, undefined, call.accountId)),
      };
    case "ConverseStream": {
      const turn = runConverse(call.body, model, state, "ConverseStream", call.accountId);
      const events = converseStreamEvents(turn);
      if (!turn.pace) return { kind: "stream", events };
      const isContent = (e: StreamEvent) => e.type === "event" && e.eventType === "contentBlockDelta";
      const rate = turn.pace.eventsPerSecond;
      return { kind: "stream", events: paced(events, isContent, (e) => e, rate, call.signal) };
    }
    case "InvokeModel":
      return invokeModel(call, model, state);
    case "InvokeModelWithResponseStream":
      return invokeModelWithResponseStream(call, model, state);
    case "CountTokens":
      return { kind: "json", status: 200, body: countTokens(call, model) };
  }
}
