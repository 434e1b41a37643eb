// STUB (contract): the auth helper replaces the bodies, keeping these exported names and signatures.
import type { AwsCredentialIdentityProvider, TokenIdentityProvider } from "@smithy/types";
import type { LLMConfig } from "../config/types.js";

export type AuthMethod =
  | "static-keys"
  | "session-token"
  | "web-identity"
  | "role"
  | "profile"
  | "bearer-token"
  | "default-chain";

export interface ResolvedAuth {
  method: AuthMethod;
  /** Human description for `check`, without secrets, e.g. "role arn:aws:iam::123:role/x assumed from static keys". */
  description: string;
  region: string;
  /** SigV4 credentials (cached, refreshed before expiry, one refresh shared by concurrent callers). */
  credentials?: AwsCredentialIdentityProvider;
  /** Bedrock API key, for Authorization: Bearer. */
  token?: TokenIdentityProvider;
}

/** Chooses the method from the configuration (order documented in the README). Throws CredentialsError/ConfigError. */
export function resolveAuth(_config: LLMConfig): ResolvedAuth {
  throw new Error("not implemented");
}

/** STS GetCallerIdentity with the resolved credentials; bearer tokens have no identity to show. */
export async function getCallerIdentity(
  _config: LLMConfig,
  _auth?: ResolvedAuth,
): Promise<{ account?: string; arn?: string; userId?: string }> {
  throw new Error("not implemented");
}
