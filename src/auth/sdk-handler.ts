/**
 * Sending a command on a client made here without rebuilding the SDK's middleware stack for every call.
 *
 * `client.send(command, options)` resolves the command's middleware afresh on every call: it builds the command's
 * plugins, copies the client's stack, sorts it and composes the handlers (about 6% of the gateway's CPU and 15% of
 * its allocated bytes). The SDK's own cache (`cacheMiddleware`) applies only to calls without options, and every
 * call here passes its abort signal. So each client made by createBedrockRuntimeClient resolves a command class's
 * handler once, as the SDK's cache does (one handler, its context shared by the calls), and the per-call handler
 * options (the abort signal, `isEventStream`) reach the HTTP handler through the last middleware of the stack,
 * which looks them up by the call's input object and sends the signed request with them itself. Everything
 * before the HTTP handler (endpoint, auth scheme, signing, serialising, deserialising, errors) runs as it did.
 * A client from elsewhere (the LLM's `client` option) takes the SDK's usual path, with the same options, unless it
 * is the SDK's client as constructed (then the lean path below, lean-parts.ts).
 *
 * A call whose signal holds a `ready` promise (a gateway's rate-limit admission, running meanwhile) is prepared and
 * signed as usual and handed to the HTTP handler only once that settles, or at once with its answer held until
 * then when the call is speculative (ready-gate.ts).
 *
 * By default a client made here goes further: its calls take the lean path (lean-send.ts), built from the SDK's
 * own parts without the middleware chain (it honours `ready` the same way); the resolved stack below stays for
 * BEDROCK_LLM_SDK_PATH=stack and for a command whose stack is not the expected one.
 *
 * The SDK also builds a new SigV4 signer for every call, spreading the whole client configuration into it (about
 * 1.5% of the gateway's CPU); the signer holds nothing of a call (credentials and region come from the client's
 * providers when it signs), so a client made here keeps the one it built for each auth scheme. And for every
 * streamed reply the protocol loads its event-stream reader with a `require` that Node resolves afresh each time
 * (a package's reference to itself: file-system stats, about 5% of a streamed call's CPU); it is built from the
 * client's configuration and holds nothing of a call, so the first one is kept.
 */
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { HttpHandlerOptions } from "@smithy/types";
import { leanFor } from "./lean-parts.js";
import { type GatedSignal, whenReady } from "./ready-gate.js";

export type { GatedSignal } from "./ready-gate.js";

import { leanSend } from "./lean-send.js";

/** The handler options of one call, as `client.send` takes them. */
export interface SendOptions {
  abortSignal: GatedSignal;
  /** false: a response-only event stream shares the client's HTTP/2 session (see src/llm/converse.ts). */
  isEventStream?: boolean;
}

/** What a command is to the middleware stack (the SDK's Command, reduced to what is used here). */
interface SdkCommand<Output> {
  readonly input: object;
  resolveMiddleware(
    stack: unknown,
    configuration: unknown,
    options: unknown,
  ): (command: never) => Promise<{
    output: Output;
  }>;
}

type ResolvedHandler = (command: unknown) => Promise<{ output: unknown }>;

interface RequestHandler {
  handle(request: unknown, options?: HttpHandlerOptions): Promise<{ response: unknown }>;
}

/** Per client made here: the resolved handler of each command class. */
const handlersOf = new WeakMap<object, Map<unknown, ResolvedHandler>>();
/** Per call in flight: its handler options, keyed by its input object (the middleware sees that same object). */
const optionsOf = new WeakMap<object, SendOptions>();

/**
 * Makes `send` resolve each command class's handler once for this client. Adds the middleware that hands the
 * signed request to the HTTP handler with the call's own options; a call sent the usual way (not through `send`)
 * has none registered and goes on as usual.
 */
export function resolveHandlersOnce(client: BedrockRuntimeClient): BedrockRuntimeClient {
  handlersOf.set(client, new Map());
  oneSignerPerScheme(client.config as unknown as SignerConfig);
  oneEventStreamReader((client.config as unknown as { protocol?: EventStreamProtocol }).protocol);
  const requestHandler = (): RequestHandler => client.config.requestHandler as unknown as RequestHandler;
  client.middlewareStack.add(
    (next) => (args) => {
      const options = optionsOf.get(args.input as object);
      if (options === undefined) return next(args);
      return whenReady(options.abortSignal, () => requestHandler().handle(args.request, options)) as ReturnType<
        typeof next
      >;
    },
    // Innermost: after signing (which copies the request) and below the deserializer, where the SDK's own last
    // step would call the HTTP handler.
    { step: "deserialize", priority: "low", name: "bedrockLlmCallOptionsMiddleware" },
  );
  return client;
}

/**
 * `client.send(command, options)`: on the lean path when the client has it for this command (a client made here, or
 * one from elsewhere left as the SDK constructs it), otherwise through the stack, its handler resolved once when the
 * client was made here.
 */
export function send<Output>(
  client: BedrockRuntimeClient,
  command: SdkCommand<Output>,
  options: SendOptions,
): Promise<Output> {
  const lean = leanFor(client, command);
  if (lean === undefined || lean === null) return sendThroughStack(client, command, options);
  if (lean instanceof Promise) {
    return lean.then((parts) =>
      parts === null ? sendThroughStack(client, command, options) : leanSend<Output>(parts, command, options),
    );
  }
  return leanSend<Output>(lean, command, options);
}

function sendThroughStack<Output>(
  client: BedrockRuntimeClient,
  command: SdkCommand<Output>,
  options: SendOptions,
): Promise<Output> {
  const handlers = handlersOf.get(client);
  if (handlers === undefined) {
    // A client from elsewhere: held back before the SDK's pipeline (its signing is not overlapped then).
    const sendNow = () =>
      (client.send as (command: unknown, options: SendOptions) => Promise<Output>)(command, options);
    // Its answer is the command's output, not the HTTP response: held before sending, never speculatively.
    return whenReady(options.abortSignal, sendNow, false);
  }
  return sendOnStack(client, handlers, command, options);
}

/** The SDK's stack, its handler resolved once per command class. */
function sendOnStack<Output>(
  client: BedrockRuntimeClient,
  handlers: Map<unknown, ResolvedHandler>,
  command: SdkCommand<Output>,
  options: SendOptions,
): Promise<Output> {
  const kind = command.constructor;
  let handler = handlers.get(kind);
  if (handler === undefined) {
    // Resolved on a blank command of the class: the handler's context keeps the command it was resolved on, which
    // should not be a caller's request.
    const blank = new (kind as new (input: object) => SdkCommand<Output>)({});
    handler = blank.resolveMiddleware(client.middlewareStack, client.config, undefined) as ResolvedHandler;
    handlers.set(kind, handler);
  }
  const { input } = command;
  optionsOf.set(input, options);
  // Once the call is answered its options are dropped (unless another call of the same input registered its own),
  // so the input sent again another way is not taken for this call.
  const forget = () => {
    if (optionsOf.get(input) === options) optionsOf.delete(input);
  };
  return handler(command).then(
    (result) => {
      forget();
      return result.output as Output;
    },
    (error: unknown) => {
      forget();
      throw error;
    },
  );
}

interface AuthScheme {
  name?: string;
  signingRegion?: string;
  signingName?: string;
}

interface SignerConfig {
  signer?: (authScheme?: AuthScheme) => Promise<unknown>;
}

/** The client's SigV4 signer function, made to return the signer it built for the same scheme before. */
function oneSignerPerScheme(config: SignerConfig): void {
  const build = config.signer;
  if (typeof build !== "function") return;
  const built = new Map<string, Promise<unknown>>();
  config.signer = (authScheme) => {
    const key = `${authScheme?.name}|${authScheme?.signingRegion}|${authScheme?.signingName}`;
    let signer = built.get(key);
    if (signer === undefined) {
      signer = build(authScheme);
      built.set(key, signer);
      signer.catch(() => built.delete(key));
    }
    return signer;
  };
}

interface EventStreamProtocol {
  serdeContext?: unknown;
  loadEventStreamCapability?: () => Promise<unknown>;
}

/** The protocol's event-stream reader, loaded once per serde context (the client's configuration). */
function oneEventStreamReader(protocol: EventStreamProtocol | undefined): void {
  const load = protocol?.loadEventStreamCapability;
  if (protocol === undefined || typeof load !== "function") return;
  let loaded: { context: unknown; reader: Promise<unknown> } | undefined;
  protocol.loadEventStreamCapability = function (this: EventStreamProtocol) {
    if (loaded !== undefined && loaded.context === this.serdeContext) return loaded.reader;
    const reader = load.call(this);
    loaded = { context: this.serdeContext, reader };
    reader.catch(() => {
      loaded = undefined;
    });
    return reader;
  };
}
