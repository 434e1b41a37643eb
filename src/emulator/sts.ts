/**
 * STS on the emulator's port (query protocol, XML): authenticate signed actions, apply injected faults, run the
 * action, record the call without its secrets.
 */
import { authenticate } from "./auth.js";
import { type Exchange, signedParts } from "./exchange.js";
import { delay, takeFault } from "./faults.js";
import type { Caller } from "./identity.js";
import { recordRequest } from "./recorder.js";
import type { EmulatorState } from "./state.js";
import { SIGNED_ACTIONS, UNSIGNED_ACTIONS } from "./sts-actions.js";
import { StsError, sendStsError, sendStsResult, stsAuthError, stsFaultError } from "./sts-protocol.js";
import type { XmlTree } from "./xml.js";

/** Parameters never written to the request log. */
const SECRET_PARAMS = new Set(["WebIdentityToken", "SAMLAssertion", "TokenCode", "ProviderId"]);

/** Query parameters of a request: the form body merged over the URL query. */
export function stsParams(ex: Exchange): URLSearchParams {
  const params = new URLSearchParams(ex.query);
  if (ex.method === "POST") {
    for (const [name, value] of new URLSearchParams(ex.body.toString("utf8"))) params.set(name, value);
  }
  return params;
}

/** True when a request to "/" is meant for STS (it names an Action). */
export function isStsRequest(ex: Exchange): boolean {
  return ex.rawPath === "/" && stsParams(ex).has("Action");
}

function loggableParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) if (!SECRET_PARAMS.has(name)) out[name] = value;
  return out;
}

export async function handleSts(ex: Exchange, state: EmulatorState): Promise<void> {
  const params = stsParams(ex);
  const action = params.get("Action") ?? "";
  const auth = UNSIGNED_ACTIONS[action]
    ? undefined
    : await authenticate(state, signedParts(ex), { service: "sts", allowBearer: false });
  const claimedKey = auth?.ok ? auth.caller.accessKeyId : auth?.failure.accessKeyId;
  const record = recordRequest(state, {
    operation: action,
    ...(claimedKey === undefined ? {} : { accessKeyId: claimedKey }),
    authType: auth === undefined ? "none" : auth.ok ? "sigv4" : auth.authType,
    httpVersion: ex.httpVersion,
    path: ex.rawPath,
    body: loggableParams(params),
  });
  try {
    if (auth && !auth.ok) throw stsAuthError(auth.failure);
    const fault = takeFault(state, action);
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault?.error) throw stsFaultError(fault.error, fault.message);
    const result = runAction(state, action, params, auth?.ok ? auth.caller : undefined);
    record.status = 200;
    sendStsResult(ex.res, action, result, ex.requestId);
  } catch (error) {
    const stsError =
      error instanceof StsError
        ? error
        : new StsError("InternalFailure", 500, "An internal error occurred.", "Receiver");
    record.status = stsError.status;
    sendStsError(ex.res, stsError, ex.requestId);
  }
}

function runAction(state: EmulatorState, action: string, params: URLSearchParams, caller?: Caller): XmlTree {
  const unsigned = UNSIGNED_ACTIONS[action];
  if (unsigned) return unsigned(state, params);
  const signed = SIGNED_ACTIONS[action];
  if (!signed || !caller) {
    throw new StsError("InvalidAction", 400, `Could not find operation ${action} for version 2011-06-15`);
  }
  return signed(state, params, caller);
}
