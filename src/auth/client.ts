import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttp2Handler } from "@smithy/node-http-handler";
import { ROUTING_DEFAULTS } from "../config/schema.js";
import { leanEventStreamSerdeProvider } from "./lean-event-stream.js";
import { enableLeanPath, enableLeanPathForForeignClient, leanPathChosen } from "./lean-parts.js";
import { resolveHandlersOnce } from "./sdk-handler.js";
import { watchSessions } from "./session-health.js";
import { onEachSession } from "./session-hooks.js";
import { releaseStreamsOnClose } from "./stream-release.js";
import type { ResolvedAuth } from "./types.js";

/** The settings the client reads besides the resolved auth (an LLMConfig fits; nothing else of it is read). */
export interface BedrockRuntimeClientSettings {
  aws_bedrock_runtime_endpoint?: string | undefined;
  /** Seconds without hearing from a connection before it is pinged (session-health.ts). */
  ping_interval?: number | undefined;
  /** Seconds the ping's answer may take before the connection is abandoned. */
  ping_timeout?: number | undefined;
}

/**
 * The one place a BedrockRuntimeClient is made: region, custom endpoint, the auth method the configuration chose
 * (and only that one: authSchemePreference pins SigV4 vs bearer, because the SDK otherwise switches to bearer
 * whenever AWS_BEARER_TOKEN_BEDROCK is in the environment), and maxAttempts 1 because the LLM layer runs its
 * own retry policy.
 *
 * The SDK's default handler for Bedrock Runtime opens a new HTTP/2 session (a new TCP + TLS handshake) for every
 * call (`disableConcurrentStreams: true`, meant for bidirectional streams, which this library does not use).
 * Sharing one multiplexed session per client removes that handshake from every call; measured against the
 * emulator it also cut 200 concurrent calls from 270 ms to 93 ms (docs/BENCHMARKS.md).
 */
export function createBedrockRuntimeClient(
  settings: BedrockRuntimeClientSettings,
  auth: ResolvedAuth,
): BedrockRuntimeClient {
  const endpoint = settings.aws_bedrock_runtime_endpoint ? { endpoint: settings.aws_bedrock_runtime_endpoint } : {};
  const identity = auth.token
    ? { token: auth.token, authSchemePreference: ["httpBearerAuth"] }
    : { credentials: auth.credentials, authSchemePreference: ["sigv4"] };
  // At most 100 calls share a session; more open another rather than queueing behind the server's stream cap
  // (LLM streams last seconds to minutes, so a queued call would wait that long).
  const requestHandler = new NodeHttp2Handler({ disableConcurrentStreams: false, maxConcurrentStreams: 100 });
  // Sessions that stop answering without closing are pinged and abandoned (session-health.ts).
  watchSessions(requestHandler, {
    intervalMs: (settings.ping_interval ?? ROUTING_DEFAULTS.ping_interval) * 1000,
    timeoutMs: (settings.ping_timeout ?? ROUTING_DEFAULTS.ping_timeout) * 1000,
  });
  // Finished calls' objects die young instead of riding every stream to the next full collection (stream-release.ts).
  onEachSession(requestHandler, releaseStreamsOnClose);
  const lean = leanPathChosen();
  const client = new BedrockRuntimeClient({
    region: auth.region,
    ...endpoint,
    ...identity,
    maxAttempts: 1,
    requestHandler,
    // Streamed replies read with one iterator instead of the SDK's chain of generators (lean-event-stream.ts).
    ...(lean && { eventStreamSerdeProvider: leanEventStreamSerdeProvider }),
  });
  // Calls sent through sdk-handler.ts's send() reuse one resolved middleware stack per command, or take the lean
  // path built from the SDK's own parts (lean-send.ts; BEDROCK_LLM_SDK_PATH=stack turns it off).
  if (lean) enableLeanPath(client);
  return resolveHandlersOnce(client);
}

/**
 * A client the caller brings instead (the LLM's `client` option), used as it is: its own handler, connection and
 * settings. Its calls take the lean path while it is the SDK's client as constructed, without middleware or a logger
 * of its own, with maxAttempts 1 (lean-parts.ts); otherwise they go through its middleware stack.
 */
export function adoptBedrockRuntimeClient(client: BedrockRuntimeClient): BedrockRuntimeClient {
  if (leanPathChosen()) enableLeanPathForForeignClient(client);
  return client;
}
