/**
 * Authenticates a request as AWS would for one service: SigV4 against the known keys (built-in user, live
 * temporary credentials), or, for Bedrock, a Bedrock API key as a bearer token. Failures are neutral codes; the
 * Bedrock (JSON) and STS (XML) front ends render them in their own dialect.
 */
import { lookupAccessKey } from "./credentials.js";
import {
  BEARER_ACCESS_KEY_ID,
  BUILTIN_ACCOUNT_ID,
  BUILTIN_BEDROCK_API_KEY,
  BUILTIN_USER_ARN,
  BUILTIN_USER_ID,
  type Caller,
} from "./identity.js";
import {
  expectedSignature,
  parseAmzDate,
  parseSigV4Authorization,
  payloadHashMatches,
  type SignedRequestParts,
  signaturesEqual,
} from "./sigv4.js";
import type { EmulatorState } from "./state.js";

export type AuthFailureCode =
  | "missing"
  | "malformed"
  | "wrongService"
  | "unknownKey"
  | "expired"
  | "invalidToken"
  | "badSignature"
  | "clockSkew"
  | "scopeDate"
  | "badApiKeyFormat"
  | "badApiKey";

export interface AuthFailure {
  code: AuthFailureCode;
  /** Access key id the request claimed (never a secret), for the request log. */
  accessKeyId?: string;
  /** Extra detail for the message, e.g. the expected service. */
  detail?: string;
}

export type AuthResult =
  | { ok: true; caller: Caller; region: string }
  | { ok: false; failure: AuthFailure; authType: "sigv4" | "bearer" | "none" };

/** Bedrock API keys start with this prefix; anything else is refused before lookup. */
const API_KEY_PREFIX = "ABSK";

function bearerCaller(): Caller {
  return {
    accessKeyId: BEARER_ACCESS_KEY_ID,
    accountId: BUILTIN_ACCOUNT_ID,
    arn: BUILTIN_USER_ARN,
    userId: BUILTIN_USER_ID,
    authType: "bearer",
  };
}

function authenticateBearer(state: EmulatorState, key: string): AuthResult {
  if (!key.startsWith(API_KEY_PREFIX)) {
    return { ok: false, authType: "bearer", failure: { code: "badApiKeyFormat" } };
  }
  if (key !== BUILTIN_BEDROCK_API_KEY && !state.apiKeys.has(key)) {
    return { ok: false, authType: "bearer", failure: { code: "badApiKey" } };
  }
  return { ok: true, caller: bearerCaller(), region: state.options.defaultRegion };
}

export interface AuthOptions {
  /** Signing name the credential scope must carry ("bedrock", "sts"). */
  service: string;
  /** Whether `Authorization: Bearer` with a Bedrock API key is accepted. */
  allowBearer: boolean;
}

export async function authenticate(
  state: EmulatorState,
  parts: SignedRequestParts,
  options: AuthOptions,
): Promise<AuthResult> {
  const header = parts.headers.authorization;
  if (!header) return { ok: false, authType: "none", failure: { code: "missing" } };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1] && options.allowBearer) return authenticateBearer(state, bearer[1]);

  const auth = parseSigV4Authorization(header);
  const signingDate = parseAmzDate(parts.headers["x-amz-date"]);
  if (!auth || !signingDate) return { ok: false, authType: "sigv4", failure: { code: "malformed" } };
  const claimed = { accessKeyId: auth.accessKeyId };
  const amzDateValue = parts.headers["x-amz-date"] ?? "";
  if (!amzDateValue.startsWith(auth.scopeDate)) {
    const detail = `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDateValue.slice(0, 8)}', from '${amzDateValue}'.`;
    return { ok: false, authType: "sigv4", failure: { ...claimed, code: "scopeDate", detail } };
  }
  const skew = clockSkewMessage(signingDate);
  if (skew) return { ok: false, authType: "sigv4", failure: { ...claimed, code: "clockSkew", detail: skew } };
  if (auth.service !== options.service) {
    return { ok: false, authType: "sigv4", failure: { ...claimed, code: "wrongService", detail: options.service } };
  }
  const key = lookupAccessKey(state, auth.accessKeyId);
  if (key.kind === "unknown") return { ok: false, authType: "sigv4", failure: { ...claimed, code: "unknownKey" } };
  if (key.kind === "expired") return { ok: false, authType: "sigv4", failure: { ...claimed, code: "expired" } };
  if (key.sessionToken !== parts.headers["x-amz-security-token"]) {
    return { ok: false, authType: "sigv4", failure: { ...claimed, code: "invalidToken" } };
  }
  const expected = await expectedSignature(parts, auth, key.secretAccessKey, signingDate);
  if (!payloadHashMatches(parts) || !signaturesEqual(expected, auth.signature)) {
    return { ok: false, authType: "sigv4", failure: { ...claimed, code: "badSignature" } };
  }
  return { ok: true, caller: key.caller, region: auth.region };
}

/** AWS refuses signatures dated more than 15 minutes from its own clock (the real clock, not a test's). */
const MAX_SKEW_MS = 15 * 60 * 1000;

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function clockSkewMessage(signingDate: Date): string | undefined {
  const now = Date.now();
  const signed = signingDate.getTime();
  if (signed < now - MAX_SKEW_MS) {
    return `Signature expired: ${amzDate(signed)} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 15 min.)`;
  }
  if (signed > now + MAX_SKEW_MS) {
    return `Signature not yet current: ${amzDate(signed)} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 15 min.)`;
  }
  return undefined;
}
