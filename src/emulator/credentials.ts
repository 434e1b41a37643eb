/** Issues and looks up the temporary credentials STS and the SSO portal hand out. */
import { randomBytes } from "node:crypto";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_CALLER, BUILTIN_SECRET_ACCESS_KEY, type Caller } from "./identity.js";
import type { EmulatorState } from "./state.js";
import type { IssuedCredentials } from "./types.js";

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomKeyChars(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return out;
}

export interface RoleSession {
  accountId: string;
  roleName: string;
  sessionName: string;
  /** Requested lifetime (DurationSeconds); capped by the emulator's credential TTL. */
  durationSeconds?: number;
}

/** Mints ASIA... credentials for an assumed role and registers them until they expire. */
export function issueRoleCredentials(state: EmulatorState, session: RoleSession): IssuedCredentials {
  const roleId = `AROA${randomKeyChars(17)}`;
  const ttlSeconds = state.options.credentialTtlSeconds;
  const credentials: IssuedCredentials = {
    accessKeyId: `ASIA${randomKeyChars(16)}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString("base64")}`,
    expiresAt: state.now() + Math.min(session.durationSeconds ?? Number.POSITIVE_INFINITY, ttlSeconds) * 1000,
    accountId: session.accountId,
    arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
    userId: `${roleId}:${session.sessionName}`,
  };
  state.issuedCredentials.set(credentials.accessKeyId, credentials);
  return credentials;
}

export type KeyLookup =
  | { kind: "found"; secretAccessKey: string; caller: Caller; sessionToken?: string }
  | { kind: "unknown" }
  | { kind: "expired" };

/** Finds the secret for an access key id, as IAM/STS would: permanent keys, then live temporary ones. */
export function lookupAccessKey(state: EmulatorState, accessKeyId: string): KeyLookup {
  if (accessKeyId === BUILTIN_ACCESS_KEY_ID) {
    return { kind: "found", secretAccessKey: BUILTIN_SECRET_ACCESS_KEY, caller: BUILTIN_CALLER };
  }
  const issued = state.issuedCredentials.get(accessKeyId);
  if (!issued) return { kind: "unknown" };
  if (state.now() >= issued.expiresAt) return { kind: "expired" };
  return {
    kind: "found",
    secretAccessKey: issued.secretAccessKey,
    sessionToken: issued.sessionToken,
    caller: {
      accessKeyId: issued.accessKeyId,
      accountId: issued.accountId,
      arn: issued.arn,
      userId: issued.userId,
      authType: "sigv4",
    },
  };
}
