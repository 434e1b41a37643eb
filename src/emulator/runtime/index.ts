// STUB (contract): the emulator-runtime helper replaces the body, keeping the exported name and signature.
import type { EmulatorState } from "../state.js";
import { EmulatorError, type RuntimeCall, type RuntimeResult } from "../types.js";

/**
 * Handles one authenticated Bedrock Runtime call. Throws EmulatorError for Bedrock's error responses; the transport
 * renders them (JSON body + x-amzn-ErrorType) or, mid-stream, as exception frames.
 */
export async function handleRuntime(call: RuntimeCall, _state: EmulatorState): Promise<RuntimeResult> {
  throw new EmulatorError("InternalServerException", 500, `${call.operation} is not implemented yet`);
}
