/**
 * The lean path's parts for one client (lean-send.ts sends the calls): what the SDK's stack recomputes on every call
 * from the client's configuration alone, found once per client and command class by the SDK's own middleware, and
 * the SDK's own build-step middleware functions.
 *
 * - auth scheme selection (httpAuthSchemeMiddleware) and endpoint resolution (endpointV2Middleware): their result
 *   depends only on the client's configuration (region, FIPS / dual-stack, custom endpoint, authSchemePreference;
 *   these operations take no endpoint parameter from their input), so the SDK's own middleware runs once per client
 *   and command class, on a probe that stops the chain right after them, and its choice is kept.
 * - A client whose stack is not the one this was written against (other middleware, a logger, retries) keeps the
 *   stack's path: the probe compares the stack's middleware names with the expected list.
 * - A client made elsewhere (the LLM's `client` option) takes the lean path too when it is the SDK's client as
 *   constructed, untouched: no middleware of its own, no logger, maxAttempts 1 and the standard retry strategy (the
 *   settings docs/LLM.md asks for). Middleware added to it later sends the next calls through its stack again.
 */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { HttpRequest } from "@smithy/protocol-http";
import type { EndpointV2, HttpHandlerOptions } from "@smithy/types";
import { sdkRequire } from "./sdk-modules.js";

interface Plugin {
  applyToStack(stack: unknown): void;
}

interface SdkParts {
  toEndpointV1(endpoint: EndpointV2): unknown;
  buildPlugins(config: unknown): Plugin[];
}

let sdkParts: SdkParts | undefined;

function sdk(): SdkParts {
  if (sdkParts === undefined) {
    const transport = sdkRequire("@smithy/core/transport") as { toEndpointV1: SdkParts["toEndpointV1"] };
    const protocols = sdkRequire("@smithy/core/protocols") as { getContentLengthPlugin(c: unknown): Plugin };
    const client = sdkRequire("@aws-sdk/core/client") as Record<
      "getUserAgentPlugin" | "getHostHeaderPlugin" | "getRecursionDetectionPlugin",
      (c: unknown) => Plugin
    >;
    sdkParts = {
      toEndpointV1: transport.toEndpointV1,
      // The plugins BedrockRuntimeClient's constructor adds for the build step, made on the same configuration.
      buildPlugins: (config) => [
        protocols.getContentLengthPlugin(config),
        client.getUserAgentPlugin(config),
        client.getHostHeaderPlugin(config),
        client.getRecursionDetectionPlugin(config),
      ],
    };
  }
  return sdkParts;
}

/** BEDROCK_LLM_SDK_PATH: "lean" (the default) or "stack" (every call through the SDK's middleware stack). */
export function leanPathChosen(env: NodeJS.ProcessEnv = process.env): boolean {
  const chosen = env.BEDROCK_LLM_SDK_PATH?.trim().toLowerCase();
  return chosen !== "stack";
}

/** The middleware the SDK's Bedrock Runtime client has for these commands, in order, as constructed. */
const SDK_STACK = [
  "loggerMiddleware - initialize",
  "httpAuthSchemeMiddleware - serialize",
  "endpointV2Middleware - serialize",
  "serializerMiddleware - serialize",
  "contentLengthMiddleware - build",
  "getUserAgentMiddleware - build",
  "hostHeaderMiddleware - build",
  "recursionDetectionMiddleware - build",
  "retryMiddleware - finalizeRequest",
  "httpSigningMiddleware (a.k.a. apiKeyMiddleware,tokenMiddleware,awsAuthMiddleware) - finalizeRequest",
  "deserializerMiddleware - deserialize",
];
/** A client made by createBedrockRuntimeClient: the SDK's, and the middleware that hands over a call's options. */
const OWN_STACK = [...SDK_STACK, "bedrockLlmCallOptionsMiddleware - deserialize"].join("\n");
/** A client made elsewhere, as the SDK constructs it. */
const FOREIGN_STACK = SDK_STACK.join("\n");

export type Headers = Record<string, string>;
export type Args = { input: object; request?: unknown };
export type Next = (args: Args) => Promise<unknown>;
export type Middleware = (next: Next, context: Context) => Next;
export type Context = Record<string, unknown> & { __smithy_context: SmithyContext };

interface AuthOption {
  schemeId: string;
  identityProperties?: Record<string, unknown>;
  signingProperties?: Record<string, unknown>;
}

export interface Signer {
  sign(request: unknown, identity: unknown, signingProperties: Record<string, unknown>): Promise<unknown>;
  errorHandler?: (signingProperties: Record<string, unknown>) => (error: unknown) => never;
  successHandler?: (response: unknown, signingProperties: Record<string, unknown>) => void;
}

export interface SmithyContext extends Record<string, unknown> {
  operationSchema?: unknown[];
  selectedHttpAuthScheme?: { httpAuthOption: AuthOption; identity: unknown; signer: Signer };
  features?: Record<string, string>;
}

interface Protocol {
  serializeRequest(operation: unknown, input: object, context: unknown): Promise<HttpRequest>;
  deserializeResponse(operation: unknown, context: unknown, response: unknown): Promise<{ $metadata: Metadata }>;
}

export interface Metadata {
  attempts?: number;
  totalRetryDelay?: number;
  [key: string]: unknown;
}

interface ClientConfig {
  protocol: Protocol;
  requestHandler: { handle(request: unknown, options?: HttpHandlerOptions): Promise<{ response: unknown }> };
  httpAuthSchemes: {
    schemeId: string;
    identityProvider: (config: { getIdentityProvider(id: string): unknown }) => unknown;
  }[];
  credentials?: unknown;
  token?: unknown;
  maxAttempts: () => Promise<number>;
  retryStrategy?: () => Promise<unknown>;
  logger?: { constructor?: { name?: string } };
}

/** What a command class needs on the lean path, worked out once per client. */
export interface Lean {
  config: ClientConfig;
  /** The operation as the protocol takes it (the serde middleware's `operation(...)`). */
  operation: { name: string; namespace: string; traits: unknown; input: unknown; output: unknown };
  /** The probe's context (the client's configuration under it), without its per-call smithy context. */
  base: Record<string, unknown>;
  smithy: SmithyContext;
  option: AuthOption;
  signer: Signer;
  identityProvider: (properties?: Record<string, unknown>) => Promise<unknown>;
  endpointV2: EndpointV2;
  /** The serializer's endpoint, as the serde middleware makes it from endpointV2 (the protocol only reads it). */
  endpoint: () => Promise<unknown>;
  maxAttempts: number;
  /** The build step's middleware in the stack's order, the user agent's marked. */
  contentLength: Middleware;
  userAgent: Middleware;
  hostHeader: Middleware;
  recursionDetection: Middleware;
  /** The user-agent headers the SDK set for the last identity it saw. */
  agent?: { identity: unknown; userAgent: string | undefined; amzUserAgent: string | undefined };
}

export interface CommandLike {
  readonly input: object;
  resolveMiddleware(stack: unknown, configuration: unknown, options: unknown): (command: never) => Promise<unknown>;
}

type CommandClass = new (input: object) => CommandLike;

/**
 * Per client: each command class's lean parts once known (null: the stack's path), or the probe still running.
 */
const leanOf = new WeakMap<object, { expected: string; perClass: Map<unknown, Lean | null | Promise<Lean | null>> }>();

/** Marks a client made here for the lean path (when it is chosen). */
export function enableLeanPath(client: BedrockRuntimeClient): void {
  leanOf.set(client, { expected: OWN_STACK, perClass: new Map() });
}

/** The stack's methods that change what it runs (concat and clone make new stacks; identify only reads). */
const STACK_CHANGES = ["add", "addRelativeTo", "use", "remove", "removeByTag"] as const;

/**
 * Marks a client made elsewhere for the lean path: its calls take it while its stack is the SDK's own (checked by
 * each command class's probe). Its stack's changing methods are wrapped to forget the probes, so that middleware
 * added after the first call runs on the next (a stack cannot be compared cheaply per call: identify() costs about
 * 50 us). A client of another copy of the SDK, or one already marked, is left as it is.
 */
export function enableLeanPathForForeignClient(client: BedrockRuntimeClient): void {
  if (leanOf.has(client) || !(client instanceof BedrockRuntimeClient)) return;
  const state = { expected: FOREIGN_STACK, perClass: new Map<unknown, Lean | null | Promise<Lean | null>>() };
  const stack = client.middlewareStack as unknown as Record<
    (typeof STACK_CHANGES)[number],
    (...a: unknown[]) => unknown
  >;
  if (!STACK_CHANGES.every((name) => typeof stack[name] === "function")) return;
  for (const name of STACK_CHANGES) {
    const change = stack[name];
    stack[name] = function (this: unknown, ...args: unknown[]) {
      state.perClass.clear();
      return change.apply(this, args);
    };
  }
  leanOf.set(client, state);
}

/**
 * The lean parts for this command on this client: undefined when the client takes the stack's path (not made
 * here, or the stack path chosen), null when this command's stack is not the expected one, a promise while the
 * probe runs.
 */
export function leanFor(
  client: BedrockRuntimeClient,
  command: CommandLike,
): Lean | null | Promise<Lean | null> | undefined {
  const state = leanOf.get(client);
  if (state === undefined) return undefined;
  const { perClass } = state;
  const kind = command.constructor;
  let lean = perClass.get(kind);
  if (lean === undefined) {
    const probing = probe(client, kind as CommandClass, state.expected);
    perClass.set(kind, probing);
    lean = probing;
    // Kept unless the stack changed meanwhile (the probes were forgotten, another may be running).
    const current = () => perClass.get(kind) === probing;
    probing.then(
      (parts) => current() && perClass.set(kind, parts),
      // A probe that failed (no region, credentials that cannot be loaded...) is tried again by the next call.
      () => current() && perClass.delete(kind),
    );
  }
  return lean;
}

/**
 * Runs the SDK's own stack for a blank command of the class up to just after endpoint resolution, and keeps what
 * the auth scheme and endpoint middleware decided. Its errors are the stack's (the same middleware threw them).
 */
async function probe(client: BedrockRuntimeClient, kind: CommandClass, expected: string): Promise<Lean | null> {
  const config = client.config as unknown as ClientConfig;
  const stack = client.middlewareStack.clone();
  let seen: Context | undefined;
  stack.addRelativeTo(
    ((_next: Next, context: Context) => async () => {
      seen = context;
      return { output: { $metadata: {} }, response: {} };
    }) as never,
    { relation: "after", toMiddleware: "endpointV2Middleware", name: "bedrockLlmLeanProbe" },
  );
  const blank = new kind({});
  const handler = blank.resolveMiddleware(stack, client.config, undefined) as (command: unknown) => Promise<unknown>;
  const names = client.middlewareStack
    .concat((blank as unknown as { middlewareStack: typeof client.middlewareStack }).middlewareStack)
    .identify()
    .join("\n");
  if (names !== expected || config.logger?.constructor?.name !== "NoOpLogger") return null;
  await handler(blank);
  const maxAttempts = await config.maxAttempts();
  // One attempt of the standard strategy is what lean-send.ts does in place (the adaptive one also rate-limits it).
  const strategy = (await config.retryStrategy?.()) as { mode?: unknown } | undefined;
  if (seen === undefined || maxAttempts !== 1 || strategy?.mode !== "standard") return null;
  const { __smithy_context: smithy, ...context } = seen;
  const selected = smithy.selectedHttpAuthScheme;
  const operationSchema = smithy.operationSchema;
  const endpointV2 = context.endpointV2 as EndpointV2 | undefined;
  if (selected === undefined || operationSchema === undefined || endpointV2 === undefined) return null;
  const scheme = config.httpAuthSchemes.find((s) => s.schemeId === selected.httpAuthOption.schemeId);
  if (scheme === undefined) return null;
  // The identity provider as httpAuthSchemeMiddleware finds it (the client's DefaultIdentityProviderConfig).
  const providers: Record<string, unknown> = {
    "aws.auth#sigv4": config.credentials,
    "smithy.api#httpBearerAuth": config.token,
  };
  const identityProvider = scheme.identityProvider({ getIdentityProvider: (id) => providers[id] });
  if (typeof identityProvider !== "function") return null;
  const [, namespace, name, traits, input, output] = operationSchema as [
    unknown,
    string,
    string,
    unknown,
    unknown,
    unknown,
  ];
  const { features, selectedHttpAuthScheme: _selected, commandInstance: _command, ...smithyRest } = smithy;
  const captured = captureMiddleware(client);
  const endpointV1 = sdk().toEndpointV1(endpointV2);
  if (captured === undefined) return null;
  return {
    config,
    operation: { name, namespace, traits, input, output },
    base: Object.assign({}, client.config, context),
    smithy: { ...smithyRest, features: { ...features } },
    option: selected.httpAuthOption,
    signer: selected.signer,
    identityProvider: identityProvider as Lean["identityProvider"],
    endpointV2,
    endpoint: async () => endpointV1,
    maxAttempts,
    ...captured,
  };
}

/** The build step's middleware functions, as the SDK's plugins add them to a stack, on the client's configuration. */
function captureMiddleware(
  client: BedrockRuntimeClient,
): Pick<Lean, "contentLength" | "userAgent" | "hostHeader" | "recursionDetection"> | undefined {
  const found = new Map<string, Middleware>();
  const recorder = {
    add: (middleware: Middleware, options: { name?: string }) => {
      if (options.name) found.set(options.name, middleware);
    },
    addRelativeTo: (middleware: Middleware, options: { name?: string }) => {
      if (options.name) found.set(options.name, middleware);
    },
  };
  for (const plugin of sdk().buildPlugins(client.config)) plugin.applyToStack(recorder);
  const contentLength = found.get("contentLengthMiddleware");
  const userAgent = found.get("getUserAgentMiddleware");
  const hostHeader = found.get("hostHeaderMiddleware");
  const recursionDetection = found.get("recursionDetectionMiddleware");
  if (!contentLength || !userAgent || !hostHeader || !recursionDetection) return undefined;
  return { contentLength, userAgent, hostHeader, recursionDetection };
}
