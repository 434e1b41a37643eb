/**
 * Bedrock Runtime over HTTP: authenticate, route, apply injected faults, hand the call to the runtime, then render
 * its result as JSON or as an event stream. Errors become Bedrock's JSON errors, or exception frames mid-stream.
 */
import { authenticate } from "./auth.js";
import { bedrockAuthError, bedrockError, sendBedrockError } from "./bedrock-errors.js";
import { type Exchange, sendJson, signedParts } from "./exchange.js";
import {
  applyMidStreamFault,
  breakConnection,
  delay,
  faultError,
  faultHeaders,
  isMidStreamFault,
  takeFault,
} from "./faults.js";
import { MAX_BODY_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { exceededQuota } from "./quotas.js";
import { recordRequest } from "./recorder.js";
import { malformed } from "./runtime/errors.js";
import { handleRuntime } from "./runtime/index.js";
import { isSplitModelPath, matchRuntimeRoute, SPLIT_MODEL_PATH_ANSWER } from "./runtime-routes.js";
import type { EmulatorState } from "./state.js";
import { sendEventStream } from "./stream-response.js";
import { EmulatorError, type RuntimeCall, type RuntimeResult } from "./types.js";

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; tooDeep?: true } {
  if (body.length === 0) return { ok: true, value: {} };
  const text = body.toString("utf8");
  if (nestsDeeperThan(text, MAX_BODY_DEPTH)) return { ok: false, tooDeep: true };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isInvoke(operation: string): boolean {
  return operation === "InvokeModel" || operation === "InvokeModelWithResponseStream";
}

export async function handleBedrock(ex: Exchange, state: EmulatorState): Promise<void> {
  const route = ex.method === "POST" ? matchRuntimeRoute(ex.rawPath) : undefined;
  const parsed = parseJson(ex.body);
  const auth = await authenticate(state, signedParts(ex), { service: "bedrock", allowBearer: true });
  const record = recordRequest(state, {
    operation: route?.operation ?? "Unknown",
    ...(route?.modelId === undefined ? {} : { modelId: route.modelId }),
    ...(auth.ok
      ? { accessKeyId: auth.caller.accessKeyId, region: auth.region }
      : optionalKey(auth.failure.accessKeyId)),
    authType: auth.ok ? auth.caller.authType : auth.authType,
    httpVersion: ex.httpVersion,
    path: ex.rawPath,
    body: parsed.ok ? parsed.value : ex.body.toString("utf8"),
  });

  const fail = (error: EmulatorError, headers: Record<string, string> = {}) => {
    record.status = error.status;
    sendBedrockError(ex.res, error, headers);
  };
  if (!auth.ok) return fail(bedrockAuthError(auth.failure));
  if (!route && isSplitModelPath(ex.rawPath)) {
    record.status = 200;
    sendJson(ex.res, 200, SPLIT_MODEL_PATH_ANSWER);
    return;
  }
  if (!route) {
    return fail(new EmulatorError("UnknownOperationException", 404, "The requested operation is not supported."));
  }
  if (!parsed.ok && parsed.tooDeep) {
    return fail(malformed(`JSON nesting depth exceeds the maximum of ${MAX_BODY_DEPTH}`));
  }
  if (!parsed.ok && !isInvoke(route.operation)) {
    return fail(new EmulatorError("SerializationException", 400, "The request body is not valid JSON."));
  }

  // The client going away cancels injected delays, paced waits, and stops the stream's producer.
  const clientGone = new AbortController();
  ex.res.once("close", () => clientGone.abort());
  const call: RuntimeCall = {
    ...route,
    body: parsed.ok ? parsed.value : undefined,
    rawBody: ex.body,
    headers: ex.headers,
    region: auth.region,
    accessKeyId: auth.caller.accessKeyId,
    accountId: auth.caller.accountId,
    signal: clientGone.signal,
  };
  const scope = { region: auth.region, accessKeyId: auth.caller.accessKeyId, modelId: route.modelId };
  const fault = takeFault(state, route.operation, scope);
  const midStream = fault !== undefined && isMidStreamFault(fault, route.operation);
  if (fault?.connection) record.connectionFault = fault.connection;
  if (fault && !midStream) {
    if (fault.delayMs) await delay(fault.delayMs, clientGone.signal);
    if (clientGone.signal.aborted) {
      record.clientClosed = true;
      return;
    }
    if (fault.connection) return breakConnection(ex.connection, fault.connection);
    const injected = faultError(fault);
    if (injected) return fail(injected, faultHeaders(fault));
  }
  const quota = exceededQuota(state.quotas, route.operation, scope, Date.now());
  if (quota) return fail(bedrockError("ThrottlingException"), faultHeaders(quota.rule));

  let result: RuntimeResult;
  try {
    result = await handleRuntime(call, state);
  } catch (error) {
    return fail(asEmulatorError(error));
  }
  if (result.kind === "json") {
    record.status = result.status;
    sendJson(ex.res, result.status, result.body, result.headers);
    return;
  }
  const events =
    fault && midStream
      ? applyMidStreamFault(result.events, fault, route.operation, clientGone.signal, ex.connection)
      : result.events;
  await sendEventStream(ex.res, record, events, {
    operation: route.operation,
    headers: result.headers ?? {},
    clientGone: clientGone.signal,
    fail,
    toEmulatorError: asEmulatorError,
  });
}

function optionalKey(accessKeyId: string | undefined): { accessKeyId?: string } {
  return accessKeyId === undefined ? {} : { accessKeyId };
}

export function asEmulatorError(error: unknown): EmulatorError {
  if (error instanceof EmulatorError) return error;
  process.stderr.write(`bedrock emulator: runtime failure: ${error instanceof Error ? error.stack : String(error)}\n`);
  return bedrockError("InternalServerException");
}
