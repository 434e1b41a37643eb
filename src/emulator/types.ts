/**
 * The seam between the emulator's transport (sockets, HTTP/1.1 + HTTP/2, SigV4, STS, SSO, control API, fault
 * injection, event-stream framing) and its Bedrock Runtime (validation, the deterministic model, caching,
 * guardrails, thinking). The emulator imports nothing from the client side of the project.
 */

export type RuntimeOperation =
  | "Converse"
  | "ConverseStream"
  | "InvokeModel"
  | "InvokeModelWithResponseStream"
  | "ApplyGuardrail"
  | "CountTokens";

/** A Bedrock Runtime call after routing and authentication. */
export interface RuntimeCall {
  operation: RuntimeOperation;
  /** URL-decoded model id (or ARN) from the path; absent for ApplyGuardrail. */
  modelId?: string;
  /** ApplyGuardrail path parameters. */
  guardrailIdentifier?: string;
  guardrailVersion?: string;
  /** Parsed JSON body (Converse*, ApplyGuardrail, CountTokens, and InvokeModel* when the body is JSON). */
  body: unknown;
  /** Raw request body bytes. */
  rawBody: Buffer;
  /** Lower-cased request headers (InvokeModel's X-Amzn-Bedrock-* headers live here). */
  headers: Record<string, string>;
  /** Region the request was signed for (from the credential scope), or the emulator's default. */
  region: string;
  /** Access key id of the caller, or "bearer" for Bedrock API keys. */
  accessKeyId: string;
  /** Account of the caller. */
  accountId: string;
  /** Aborts when the client goes away; paced streams stop waiting. */
  signal?: AbortSignal;
}

/** One event-stream message to frame. */
export type StreamEvent =
  | { type: "event"; eventType: string; payload: unknown }
  | { type: "exception"; exceptionType: string; payload: { message: string; [member: string]: unknown } };

export type RuntimeResult =
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "stream"; headers?: Record<string, string>; events: AsyncIterable<StreamEvent> | Iterable<StreamEvent> };

/**
 * An error Bedrock would return: `name` goes to x-amzn-ErrorType and the body's `__type`,
 * `message` to the body's `message`, `status` to the HTTP status.
 */
export class EmulatorError extends Error {
  constructor(
    readonly errorName: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

/** POST /_emulator/responses: one scripted reply, consumed by the next model call. */
export interface ScriptedResponse {
  text?: string;
  toolCalls?: { name: string; input?: unknown; id?: string }[];
  reasoning?: string;
  /** Adds a redacted reasoning block (Anthropic redacted_thinking) before the reply. */
  redactedReasoning?: boolean;
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Only consumed by calls to this model id, when set. */
  modelId?: string;
  /** Streams only: one word per content event at this rate; `events` cycles the text to that many words. */
  pace?: { eventsPerSecond: number; events?: number };
}

/** POST /_emulator/pace: streams carry `events` content events, `eventsPerSecond` apart. */
export interface PaceRule {
  eventsPerSecond: number;
  events: number;
  /** "ConverseStream", "InvokeModelWithResponseStream" or "*". */
  operation: string;
  /** How many streams it paces; unset = until cleared. */
  count?: number;
}

/** POST /_emulator/guardrails */
export interface GuardrailDefinition {
  id: string;
  version: string;
  blockedWords: string[];
  blockedMessage?: string;
  blockedInputMessage?: string;
  blockedOutputMessage?: string;
}

/** Which calls a fault or a quota applies to: every field set must match (region from the SigV4 scope). */
export interface CallScope {
  region?: string;
  accessKeyId?: string;
  /** The model id in the path, or the model a geography profile (us., eu., ...) stands for. */
  modelId?: string;
}

/** What happens to the connection a call came on: cut with a TCP reset, or left open and silent (half-open). */
export type ConnectionFault = "reset" | "silent";

/** POST /_emulator/faults */
export interface FaultRule extends CallScope {
  /** "Converse", "ConverseStream", ..., or "*". */
  operation: string;
  /** AWS error name, e.g. "ThrottlingException". */
  error?: string;
  /** Instead of an error: the connection is reset, or goes silent (before the response, or after afterEvents). */
  connection?: ConnectionFault;
  /** Chance that a matching call is hit (its count is used only then); 1 by default. */
  probability?: number;
  /** How many calls it applies to; decremented per hit. */
  count: number;
  /** Streams: deliver this many events, then the error as an exception frame. */
  afterEvents?: number;
  /** Delay before answering (ms). With no error, only delays. */
  delayMs?: number;
  /** Optional message override. */
  message?: string;
  /** Retry-After header value (seconds) for throttling. */
  retryAfterSeconds?: number;
}

/** POST /_emulator/quotas: at most callsPerSecond matching calls in any second; more get ThrottlingException. */
export interface QuotaRule extends CallScope {
  operation: string;
  callsPerSecond: number;
  /** Retry-After header on the throttled calls. */
  retryAfterSeconds?: number;
}

/** GET /_emulator/requests: what was received, without secrets. */
export interface RecordedRequest {
  seq: number;
  time: string;
  operation: string;
  modelId?: string;
  accessKeyId?: string;
  authType: "sigv4" | "bearer" | "none";
  httpVersion: string;
  path: string;
  body: unknown;
  status?: number;
  /** Set when a stream's client went away before the end. */
  clientClosed?: boolean;
  /** Region of the SigV4 credential scope (or the default region), when authenticated. */
  region?: string;
  /** Set when a connection fault was applied to the call. */
  connectionFault?: ConnectionFault;
}

/** Temporary credentials issued by STS or the SSO portal; valid until `expiresAt`. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
  accountId: string;
  /** The assumed-role ARN callers present as (GetCallerIdentity). */
  arn: string;
  /** RoleId:SessionName, as STS reports it. */
  userId: string;
}
