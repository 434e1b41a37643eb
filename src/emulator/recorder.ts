/** The request log behind GET /_emulator/requests. Records carry no secrets: no Authorization, tokens or keys. */
import type { EmulatorState } from "./state.js";
import type { RecordedRequest } from "./types.js";

export type RecordFields = Omit<RecordedRequest, "seq" | "time">;

/** Appends a record and returns it, so the caller can fill in the status once known. */
export function recordRequest(state: EmulatorState, fields: RecordFields): RecordedRequest {
  const record: RecordedRequest = { seq: state.nextSeq(), time: new Date(state.now()).toISOString(), ...fields };
  state.requests.push(record);
  return record;
}
