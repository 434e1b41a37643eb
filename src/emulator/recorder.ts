/** The request log behind GET /_emulator/requests. Records carry no secrets: no Authorization, tokens or keys. */
import type { EmulatorState } from "./state.js";
import type { RecordedRequest } from "./types.js";

export type RecordFields = Omit<RecordedRequest, "seq" | "time">;

/** The log keeps the most recent records only, so a long benchmark run does not grow memory without bound. */
export const MAX_RECORDED_REQUESTS = 10_000;

/** Appends a record and returns it, so the caller can fill in the status once known. */
export function recordRequest(state: EmulatorState, fields: RecordFields): RecordedRequest {
  const record: RecordedRequest = { seq: state.nextSeq(), time: new Date(state.now()).toISOString(), ...fields };
  state.requests.push(record);
  if (state.requests.length > MAX_RECORDED_REQUESTS)
    state.requests.splice(0, state.requests.length - MAX_RECORDED_REQUESTS);
  return record;
}
