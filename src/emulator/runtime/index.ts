/**
 * Bedrock Runtime semantics behind the emulator's transport: one entry point per authenticated call.
 * See docs/EMULATOR-MODEL.md for the model table, reply rule, token rule, caching, thinking and guardrails.
 */
import type { EmulatorState } from "../state.js";
import { EmulatorError, type RuntimeCall, type RuntimeResult } from "../types.js";
import { converseResponse, converseStreamEvents } from "./converse.js";
import { runConverse } from "./engine.js";
import { resolveModel } from "./resolve.js";

/**
 * Handles one authenticated Bedrock Runtime call. Throws EmulatorError for Bedrock's error responses; the transport
 * renders them (JSON body + x-amzn-ErrorType) or, mid-stream, as exception frames.
 */
export async function handleRuntime(call: RuntimeCall, state: EmulatorState): Promise<RuntimeResult> {
  switch (call.operation) {
    case "Converse": {
      const turn = runConverse(call.body, resolveModel(call.modelId, call.region), state);
      return { kind: "json", status: 200, body: converseResponse(turn) };
    }
    case "ConverseStream": {
      const turn = runConverse(call.body, resolveModel(call.modelId, call.region), state);
      return { kind: "stream", events: converseStreamEvents(turn) };
    }
    default:
      throw new EmulatorError("InternalServerException", 500, `${call.operation} is not implemented yet`);
  }
}
