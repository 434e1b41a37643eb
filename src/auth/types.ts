import type { AwsCredentialIdentityProvider, TokenIdentityProvider } from "@smithy/types";

export type AuthMethod =
  | "static-keys"
  | "session-token"
  | "web-identity"
  | "role"
  | "profile"
  | "bearer-token"
  | "default-chain";

/** Non-secret facts about the chosen method, used in error messages and by `check`. */
export interface AuthDetails {
  /** Profile read from the shared files (method "profile", or the base of "role"). */
  profile?: string;
  /** Role to assume: the configured name or ARN, replaced by the full ARN once known. */
  role?: string;
  roleSessionName?: string;
  /** Web identity token file, when aws_web_identity_token is a path. */
  webIdentityTokenFile?: string;
  /** For "role": the method that supplies the credentials the role is assumed from. */
  baseMethod?: AuthMethod;
  /** Shared files consulted (profile-based methods). */
  configFile?: string;
  credentialsFile?: string;
}

export interface ResolvedAuth {
  method: AuthMethod;
  /** Human description for `check`, without secrets, e.g. "role arn:aws:iam::123:role/x assumed from static keys". */
  description: string;
  region: string;
  /** SigV4 credentials (cached, refreshed before expiry, one refresh shared by concurrent callers). */
  credentials?: AwsCredentialIdentityProvider;
  /** Bedrock API key, for Authorization: Bearer. */
  token?: TokenIdentityProvider;
  details?: AuthDetails;
}
