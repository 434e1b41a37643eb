/**
 * Everything the emulator remembers between requests. The control API writes it, the runtime reads it,
 * POST /_emulator/reset clears it. One instance per running emulator, so tests in parallel never share state.
 */
import { randomBytes } from "node:crypto";
import type { Quota } from "./quotas.js";
import type { ApplicationProfile } from "./runtime/inference-profiles.js";
import type { S3Object } from "./runtime/s3.js";
import type {
  FaultRule,
  GuardrailDefinition,
  IssuedCredentials,
  PaceRule,
  RecordedRequest,
  ScriptedResponse,
} from "./types.js";

export interface EmulatorOptions {
  /** Lifetime of STS/SSO-issued temporary credentials, seconds. */
  credentialTtlSeconds: number;
  /** Region assumed when a request carries none (bearer auth). */
  defaultRegion: string;
}

export class EmulatorState {
  scripted: ScriptedResponse[] = [];
  guardrails = new Map<string, GuardrailDefinition>();
  faults: FaultRule[] = [];
  /** Per-target quotas (POST /_emulator/quotas). */
  quotas: Quota[] = [];
  /** Paced streams (POST /_emulator/pace), until cleared or used up. */
  pace: PaceRule | undefined;
  requests: RecordedRequest[] = [];
  /** Web identity tokens the control API marked as invalid. */
  invalidWebIdentityTokens = new Set<string>();
  /** SSO access tokens the control API marked as invalid. */
  invalidSsoTokens = new Set<string>();
  /** Bedrock API keys added by the control API (the built-in one is always accepted). */
  apiKeys = new Set<string>();
  /**
   * Temporary credentials issued by STS/SSO, by access key id. Reset keeps them: they are the world's state, not
   * test configuration, and they expire on their own.
   */
  issuedCredentials = new Map<string, IssuedCredentials>();
  /** Application inference profiles created through the control API, by profile id. */
  applicationProfiles = new Map<string, ApplicationProfile>();
  /** The emulator's S3: objects put through the control API, by s3:// URI. */
  s3Objects = new Map<string, S3Object>();
  /** Prompt cache: prefix hash -> expiry (epoch ms). */
  promptCache = new Map<string, number>();
  /** Key for signing reasoning blocks, so tampered signatures are detected. New per emulator. */
  readonly thinkingKey = randomBytes(32);
  private seq = 0;

  constructor(readonly options: EmulatorOptions) {}

  /** Clock, overridable in tests of TTL expiry. */
  now(): number {
    return Date.now();
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  reset(): void {
    this.scripted = [];
    this.guardrails.clear();
    this.faults = [];
    this.quotas = [];
    this.pace = undefined;
    this.requests = [];
    this.invalidWebIdentityTokens.clear();
    this.invalidSsoTokens.clear();
    this.apiKeys.clear();
    this.promptCache.clear();
    this.s3Objects.clear();
    this.applicationProfiles.clear();
    this.seq = 0;
  }
}
