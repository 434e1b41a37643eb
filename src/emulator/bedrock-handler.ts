/**
 * Bedrock Runtime over HTTP: authenticate, route, apply injected faults, hand the call to the runtime, then render
 * its result as JSON or as an event stream. Errors become Bedrock's JSON errors, or exception frames mid-stream.
 */
import { authenticate } from "./auth.js";
import { bedrockAuthError, bedrockError, sendBedrockError, streamExceptionType } from "./bedrock-errors.js";
import { EVENT_STREAM_CONTENT_TYPE, encodeStreamEvent } from "./event-stream.js";
import { type Exchange, sendJson, signedParts, writeChunk } from "./exchange.js";
import { delay, failAfterEvents, faultError, faultHeaders, takeFault } from "./faults.js";
import { recordRequest } from "./recorder.js";
import { handleRuntime } from "./runtime/index.js";
import { isStreamingOperation, matchRuntimeRoute } from "./runtime-routes.js";
import type { EmulatorState } from "./state.js";
import {
  EmulatorError,
  type RecordedRequest,
  type RuntimeCall,
  type RuntimeResult,
  type StreamEvent,
} from "./types.js";

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body.toString("utf8")) };
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
    ...(auth.ok ? { accessKeyId: auth.caller.accessKeyId } : optionalKey(auth.failure.accessKeyId)),
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
  if (!route) {
    return fail(new EmulatorError("UnknownOperationException", 404, "The requested operation is not supported."));
  }
  if (!parsed.ok && !isInvoke(route.operation)) {
    return fail(new EmulatorError("SerializationException", 400, "The request body is not valid JSON."));
  }

  const call: RuntimeCall = {
    ...route,
    body: parsed.ok ? parsed.value : undefined,
    rawBody: ex.body,
    headers: ex.headers,
    region: auth.region,
    accessKeyId: auth.caller.accessKeyId,
    accountId: auth.caller.accountId,
  };

  const fault = takeFault(state, route.operation);
  if (fault?.delayMs) await delay(fault.delayMs);
  const injected = fault ? faultError(fault) : undefined;
  const extraHeaders = fault ? faultHeaders(fault) : {};
  if (injected && !(isStreamingOperation(route.operation) && fault?.afterEvents !== undefined)) {
    return fail(injected, extraHeaders);
  }

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
    injected && fault?.afterEvents !== undefined
      ? failAfterEvents(result.events, fault.afterEvents, injected)
      : result.events;
  await sendEventStream(ex, record, events, result.headers ?? {}, fail);
}

function optionalKey(accessKeyId: string | undefined): { accessKeyId?: string } {
  return accessKeyId === undefined ? {} : { accessKeyId };
}

function asEmulatorError(error: unknown): EmulatorError {
  if (error instanceof EmulatorError) return error;
  process.stderr.write(`bedrock emulator: runtime failure: ${error instanceof Error ? error.stack : String(error)}\n`);
  return bedrockError("InternalServerException");
}

/**
 * Streams the events as frames. The first event is pulled before the 200 goes out, so an error the runtime raises
 * up front is still an HTTP error as on Bedrock; later errors become one exception frame that ends the stream.
 */
async function sendEventStream(
  ex: Exchange,
  record: RecordedRequest,
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  headers: Record<string, string>,
  fail: (error: EmulatorError) => void,
): Promise<void> {
  const iterator = toAsyncIterator(events);
  let next: IteratorResult<StreamEvent>;
  try {
    next = await iterator.next();
  } catch (error) {
    return fail(asEmulatorError(error));
  }

  const { res } = ex;
  let finished = false;
  res.once("close", () => {
    if (!finished) record.clientClosed = true;
  });
  res.statusCode = 200;
  res.setHeader("content-type", EVENT_STREAM_CONTENT_TYPE);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  record.status = 200;

  try {
    while (!next.done) {
      const delivered = await writeChunk(res, encodeStreamEvent(next.value));
      if (!delivered || record.clientClosed) return;
      if (next.value.type === "exception") break;
      next = await iterator.next();
    }
  } catch (error) {
    const failure = asEmulatorError(error);
    const frame: StreamEvent = {
      type: "exception",
      exceptionType: streamExceptionType(failure.errorName),
      message: failure.message,
    };
    if (!(await writeChunk(res, encodeStreamEvent(frame)))) return;
  } finally {
    if (res.destroyed || record.clientClosed) await iterator.return?.();
  }
  finished = true;
  res.end();
}

function toAsyncIterator(events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>): AsyncIterator<StreamEvent> {
  if (Symbol.asyncIterator in events) return events[Symbol.asyncIterator]();
  const sync = events[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}
