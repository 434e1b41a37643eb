/**
 * The lean path: a Bedrock Runtime call made from the SDK's own parts, without its middleware chain.
 *
 * What the SDK's stack does for every call, and what happens to each step here:
 * - auth scheme selection and endpoint resolution: done once per client and command class by the SDK's own
 *   middleware (lean-parts.ts). The identity (credentials or bearer token) is still asked of the scheme's provider
 *   on every call, as the stack does (the client memoises it and refreshes it when it expires).
 * - serialising and deserialising: the client's protocol object, called as the stack's serde middleware calls it,
 *   with the same error decoration ($response, $metadata) - on a context built once per client instead of a
 *   spread of the whole configuration per call.
 * - content length, host header, recursion detection: the SDK's own middleware functions, every call.
 * - user agent: the SDK's own middleware, run again whenever the identity changes (the header depends only on the
 *   configuration and the identity's source); otherwise its last headers are reused.
 * - retries: the client has maxAttempts 1 (the LLM layer retries); the retry middleware's part of a single
 *   attempt is done here: its two headers, `$metadata.attempts` / `totalRetryDelay`, its error wrapping, and the
 *   abort error it throws when the call's signal has fired.
 * - signing: the selected scheme's own signer (SigV4 with the client's one signer per scheme, or the bearer token),
 *   with its clock-skew error and success handlers.
 * - the HTTP call: the client's own handler (same HTTP/2 session, same abort handling), with the call's options,
 *   once the call's `ready` promise (if any) has settled.
 *
 * BEDROCK_LLM_SDK_PATH=stack (read when a client is made) sends every call through the SDK's stack instead.
 */
import { randomUUID } from "node:crypto";
import { type HttpRequest, HttpResponse } from "@smithy/protocol-http";
import type { HttpHandlerOptions } from "@smithy/types";
import type { Args, CommandLike, Context, Headers, Lean, Metadata, Next, SmithyContext } from "./lean-parts.js";
import { type GatedSignal, whenReady } from "./ready-gate.js";

/** One call on the lean path; `options` are the call's handler options, as the stack's last middleware takes them. */
export async function leanSend<Output>(
  lean: Lean,
  command: CommandLike,
  options: HttpHandlerOptions & { abortSignal?: GatedSignal },
): Promise<Output> {
  const { config, option, signer } = lean;
  const abortSignal = options.abortSignal;
  const identity = await lean.identityProvider(option.identityProperties);
  // A fresh option per call, as the scheme provider gives one to every call: the signer writes into its properties.
  const signingProperties: Record<string, unknown> = { ...option.signingProperties };
  const smithy: SmithyContext = {
    ...lean.smithy,
    features: { ...lean.smithy.features },
    commandInstance: command,
    ...(abortSignal === undefined ? {} : { abortSignal }),
    selectedHttpAuthScheme: { httpAuthOption: { ...option, signingProperties }, identity, signer },
  };
  const context = Object.create(lean.base) as Context;
  context.__smithy_context = smithy;
  context.endpointV2 = lean.endpointV2;
  if ("context" in signingProperties) signingProperties.context = context;
  context.endpoint = lean.endpoint;
  const input = command.input;
  const request = await config.protocol.serializeRequest(lean.operation, input, context);
  const args: Args = { input, request };
  // The build step, in the stack's order; the last "next" hands the built request on.
  let built: HttpRequest | undefined;
  const done: Next = async (a) => {
    built = a.request as HttpRequest;
    return undefined;
  };
  const agent = lean.agent;
  if (agent !== undefined && agent.identity === identity) {
    await lean.contentLength(
      lean.hostHeader(lean.recursionDetection(done, context), context),
      context,
    )(withAgent(args, agent));
  } else {
    const remember: Next = async (a) => {
      const headers = (a.request as HttpRequest).headers as Headers;
      lean.agent = { identity, userAgent: headers["user-agent"], amzUserAgent: headers["x-amz-user-agent"] };
      return lean.hostHeader(lean.recursionDetection(done, context), context)(a);
    };
    await lean.contentLength(lean.userAgent(remember, context), context)(args);
  }
  if (built === undefined) throw new Error("The request was not built");
  const headers = built.headers as Headers;
  headers["amz-sdk-invocation-id"] = randomUUID();
  headers["amz-sdk-request"] = `attempt=1; max=${lean.maxAttempts}`;
  try {
    const signed = await signer.sign(built, identity, signingProperties);
    let response: unknown;
    let output: { $metadata: Metadata };
    try {
      // Held back, prepared and signed, until the call's `ready` settles (or sent at once and its answer held, for
      // a speculative call), as the stack's last middleware does (ready-gate.ts).
      response = (await whenReady(abortSignal, () => config.requestHandler.handle(signed, options))).response;
      output = await deserialize(lean, context, response);
    } catch (error) {
      // The signer's error handler corrects the clock skew from the reply's Date and throws the error on.
      (signer.errorHandler ?? rethrow)(signingProperties)(error);
      throw error;
    }
    signer.successHandler?.(response, signingProperties);
    output.$metadata.attempts = 1;
    output.$metadata.totalRetryDelay = 0;
    return output as Output;
  } catch (error) {
    throw afterOneAttempt(error, abortSignal);
  }
}

const rethrow = () => (error: unknown) => {
  throw error;
};

/** The user agent's headers as the SDK's middleware set them last time for this identity. */
function withAgent(args: Args, agent: NonNullable<Lean["agent"]>): Args {
  const headers = (args.request as HttpRequest).headers as Headers;
  if (agent.amzUserAgent !== undefined) headers["x-amz-user-agent"] = agent.amzUserAgent;
  if (agent.userAgent !== undefined) headers["user-agent"] = agent.userAgent;
  return args;
}

/** The schema serde middleware's deserialising, with its decoration of errors. */
async function deserialize(lean: Lean, context: Context, response: unknown): Promise<{ $metadata: Metadata }> {
  try {
    return await lean.config.protocol.deserializeResponse(lean.operation, context, response);
  } catch (caught) {
    const error = caught as Error & Record<string, unknown>;
    Object.defineProperty(error, "$response", {
      value: response,
      enumerable: false,
      writable: false,
      configurable: false,
    });
    if (!("$metadata" in error)) {
      const hint =
        "Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.";
      try {
        error.message += `\n  ${hint}`;
      } catch {
        console.warn(hint);
      }
      if (typeof error.$responseBodyText !== "undefined" && error.$response) {
        (error.$response as { body: unknown }).body = error.$responseBodyText;
      }
      try {
        if (HttpResponse.isInstance(response)) {
          const entries = Object.entries(response.headers ?? {});
          error.$metadata = {
            httpStatusCode: response.statusCode,
            requestId: findHeader(/^x-[\w-]+-request-?id$/, entries),
            extendedRequestId: findHeader(/^x-[\w-]+-id-2$/, entries),
            cfId: findHeader(/^x-[\w-]+-cf-id$/, entries),
          };
        }
      } catch {}
    }
    throw error;
  }
}

function findHeader(pattern: RegExp, headers: [string, string][]): string | undefined {
  return headers.find(([name]) => pattern.test(name))?.[1];
}

/**
 * What the retry middleware throws after a single attempt: the abort error its token race throws when the call's
 * signal has fired, otherwise the error (as an Error) with `$metadata.attempts` and `totalRetryDelay`.
 */
function afterOneAttempt(caught: unknown, abortSignal: { aborted: boolean } | undefined): unknown {
  if (abortSignal?.aborted) return Object.assign(new Error("Request aborted"), { name: "AbortError" });
  const error = asSdkError(caught) as Error & { $metadata?: Metadata };
  error.$metadata ??= {};
  error.$metadata.attempts = 1;
  error.$metadata.totalRetryDelay = 0;
  return error;
}

function asSdkError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (error instanceof Object) return Object.assign(new Error(), error);
  if (typeof error === "string") return new Error(error);
  return new Error(`AWS SDK error wrapper for ${error}`);
}
