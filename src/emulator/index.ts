/**
 * The local Bedrock emulator: Bedrock Runtime, STS and the SSO portal on one port, HTTP/1.1 and HTTP/2.
 * `startEmulator({ port: 0 })` is what tests use; `bedrock-llm emulator` wraps it for users.
 */
import { listen } from "./listener.js";
import { createRequestHandler } from "./router.js";
import { EmulatorState } from "./state.js";

export {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_ACCOUNT_ID,
  BUILTIN_BEDROCK_API_KEY,
  BUILTIN_SECRET_ACCESS_KEY,
  BUILTIN_USER_ARN,
} from "./identity.js";
export { EmulatorState } from "./state.js";
export type {
  CallScope,
  ConnectionFault,
  FaultRule,
  GuardrailDefinition,
  IssuedCredentials,
  PaceRule,
  QuotaRule,
  RecordedRequest,
  ScriptedResponse,
} from "./types.js";

export interface StartEmulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** STS/SSO temporary credential lifetime, seconds (default 3600). */
  credentialTtlSeconds?: number;
  /** Region for unsigned/bearer requests (default us-east-1). */
  defaultRegion?: string;
}

export interface RunningEmulator {
  /** http://HOST:PORT */
  url: string;
  host: string;
  port: number;
  state: EmulatorState;
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const state = new EmulatorState({
    credentialTtlSeconds: options.credentialTtlSeconds ?? 3600,
    defaultRegion: options.defaultRegion ?? "us-east-1",
  });
  const listener = await listen(host, options.port ?? 4010, createRequestHandler(state));
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${listener.port}`,
    host,
    port: listener.port,
    state,
    close: () => listener.close(),
  };
}
