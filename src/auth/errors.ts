/**
 * Turns whatever the SDK's providers, STS, SSO or a signed Bedrock call threw into a CredentialsError that names
 * the method tried and the fix. Messages are built from AWS error names, AWS messages and non-secret facts, and are
 * scrubbed of every secret the configuration holds.
 */
import { sharedFilePaths } from "../config/aws-shared-files.js";
import { CredentialsError } from "../errors.js";
import type { AuthDetails, AuthMethod, ResolvedAuth } from "./types.js";

const secretsByAuth = new WeakMap<ResolvedAuth, string[]>();

/** Remembers the secrets behind a resolved auth (never stored on the object itself) so messages can be scrubbed. */
export function registerSecrets(auth: ResolvedAuth, secrets: (string | undefined)[]): void {
  secretsByAuth.set(
    auth,
    secrets.filter((secret): secret is string => typeof secret === "string" && secret.length >= 4),
  );
}

export interface CredentialsErrorContext extends AuthDetails {
  /** Values that must not appear in the message. */
  secrets?: string[];
}

/** AWS errors that mean "these credentials were refused", wherever they come from. */
const REFUSED_CREDENTIALS = new Set([
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidAccessKeyId",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
]);

const WEB_IDENTITY_REFUSED = new Set([
  "InvalidIdentityToken",
  "InvalidIdentityTokenException",
  "IDPRejectedClaim",
  "IDPRejectedClaimException",
  "IDPCommunicationError",
  "ExpiredTokenException",
  "AccessDenied",
]);

/** Keys AWS does not know (as opposed to a known key with a wrong secret). */
const UNKNOWN_KEY = new Set(["InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId"]);

/** Bedrock's answer to a Bedrock API key it does not accept (an AccessDeniedException, status 403). */
const REFUSED_API_KEY = /API Key is valid|Authentication failed/i;

/** True when AWS answered that the credentials (keys, signature, session token, API key) are not valid. */
export function isRefusedCredentials(error: unknown): boolean {
  const name = errorName(error);
  return (
    REFUSED_CREDENTIALS.has(name) || (name === "AccessDeniedException" && REFUSED_API_KEY.test(errorMessage(error)))
  );
}

/** True when the error means credentials could not be obtained, or were refused by AWS. */
export function isCredentialsFailure(error: unknown): boolean {
  if (error instanceof CredentialsError) return true;
  const name = errorName(error);
  return name === "CredentialsProviderError" || name === "TokenProviderError" || isRefusedCredentials(error);
}

/**
 * Maps a failure to a CredentialsError. Pass the ResolvedAuth when you have it (its details and secrets make the
 * message precise and safe); a bare method name works too.
 */
export function toCredentialsError(
  error: unknown,
  methodOrAuth: AuthMethod | ResolvedAuth,
  context: CredentialsErrorContext = {},
): CredentialsError {
  const auth = typeof methodOrAuth === "string" ? undefined : methodOrAuth;
  const method = auth?.method ?? (methodOrAuth as AuthMethod);
  const secrets = [...(context.secrets ?? []), ...((auth && secretsByAuth.get(auth)) ?? [])];
  const scrub = (text: string) => scrubSecrets(text, secrets);
  if (error instanceof CredentialsError) {
    const clean = scrub(error.message);
    return clean === error.message ? error : new CredentialsError(clean, { method: error.method ?? method });
  }
  const details: AuthDetails = { ...auth?.details, ...context };
  const rawMessage = errorMessage(error);
  const message = scrub(explain(error, method, details));
  return new CredentialsError(message, {
    method,
    // The original error is kept for debugging only when it holds no secret.
    ...(scrub(rawMessage) === rawMessage ? { cause: error } : {}),
    awsErrorName: awsName(error),
    requestId: requestIdOf(error),
    statusCode: statusOf(error),
  });
}

function explain(error: unknown, method: AuthMethod, details: AuthDetails): string {
  const name = errorName(error);
  const text = errorMessage(error);
  const aws = awsName(error) ? `${name}: ${text}` : text;
  const profile = details.profile ?? "default";

  // GetRoleCredentials answers UnauthorizedException to a token the portal no longer accepts.
  if (
    /SSO session .*(expired|invalid)|SSO token|sso.*(expired|refresh)|UnauthorizedException/i.test(`${name} ${text}`)
  ) {
    return `The SSO session of profile "${profile}" has expired or is invalid (${aws}). Run \`aws sso login --profile ${profile}\` and try again.`;
  }
  if (/Could not resolve credentials using profile|could not be found or parsed in shared credentials/i.test(text)) {
    return unknownProfileMessage(profile, details);
  }
  if (/Could not load credentials from any providers/i.test(text)) {
    return noCredentialsMessage();
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up/.test(text)) {
    return `Could not reach AWS to get credentials with method ${method} (${text}). Check the network and the endpoints in use: aws_sts_endpoint, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL.`;
  }
  if (method === "web-identity" && WEB_IDENTITY_REFUSED.has(name)) {
    const source = details.webIdentityTokenFile
      ? `the token in ${details.webIdentityTokenFile} (re-read at each refresh)`
      : "aws_web_identity_token";
    return `STS refused the web identity token for role ${details.role ?? "(unknown role)"} (${aws}). Check ${source}: it must be a valid, unexpired OIDC token trusted by the role.`;
  }
  if (method === "bearer-token" && isRefusedCredentials(error)) {
    return `Bedrock refused the API key (${aws}). Check aws_bearer_token (or AWS_BEARER_TOKEN_BEDROCK): API keys expire, and work only in the region they were created for.`;
  }
  if (REFUSED_CREDENTIALS.has(name)) {
    const hint = UNKNOWN_KEY.has(name) ? unknownKeyHint(method, details) : refusedHint(method, details);
    return `AWS refused the credentials of method ${method} (${aws}). ${hint}`;
  }
  if (method === "role" || (method === "web-identity" && awsName(error))) {
    return `Could not assume role ${details.role ?? "(unknown role)"}: STS error ${name} (${text}). Check that the role exists and that its trust policy allows these credentials to assume it.`;
  }
  return `Could not get AWS credentials with method ${method}: ${aws}`;
}

function unknownKeyHint(method: AuthMethod, details: AuthDetails): string {
  switch (method) {
    case "static-keys":
      return "AWS does not know this access key: check aws_access_key_id (and that the key is active).";
    case "session-token":
      return "The access key or aws_session_token is not valid: temporary keys expire, so fetch fresh ones.";
    default:
      return refusedHint(method, details);
  }
}

function refusedHint(method: AuthMethod, details: AuthDetails): string {
  switch (method) {
    case "static-keys":
      return "Check aws_secret_access_key (and aws_access_key_id).";
    case "session-token":
      return "Check aws_secret_access_key and aws_session_token; session tokens expire, so fetch fresh ones.";
    case "profile":
      return `Check the keys of profile "${details.profile ?? "default"}" in ${details.credentialsFile ?? sharedFilePaths().credentialsFile}.`;
    case "role":
    case "web-identity":
      return "The temporary credentials from STS were refused; check the role's permissions and the STS endpoint.";
    default:
      return "Check AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN or the default profile the SDK found.";
  }
}

export function unknownProfileMessage(profile: string, details: AuthDetails = {}, known: string[] = []): string {
  const paths = sharedFilePaths();
  const configFile = details.configFile ?? paths.configFile;
  const credentialsFile = details.credentialsFile ?? paths.credentialsFile;
  const knownText = known.length > 0 ? ` Profiles found: ${known.join(", ")}.` : " No profile was found in them.";
  return (
    `AWS profile "${profile}" was not found in ${configFile} or ${credentialsFile}.${knownText} ` +
    "Check aws_profile_name, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the right files."
  );
}

export function noCredentialsMessage(): string {
  const paths = sharedFilePaths();
  return (
    "No AWS credentials found. Looked at: the [llm] settings (aws_access_key_id/aws_secret_access_key, " +
    "aws_web_identity_token, aws_role_name, aws_profile_name, aws_bearer_token); the environment " +
    "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK); " +
    `the shared files ${paths.configFile} and ${paths.credentialsFile} (profile "${process.env.AWS_PROFILE || "default"}", SSO, credential_process); ` +
    "the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN); container credentials " +
    "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI); EC2 instance metadata. Set one of them."
  );
}

function scrubSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("****");
  return out;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The AWS error name when the error came back from an AWS service (it carries $metadata). */
function awsName(error: unknown): string | undefined {
  return hasMetadata(error) ? errorName(error) : undefined;
}

function requestIdOf(error: unknown): string | undefined {
  return hasMetadata(error) ? error.$metadata.requestId : undefined;
}

function statusOf(error: unknown): number | undefined {
  return hasMetadata(error) ? error.$metadata.httpStatusCode : undefined;
}

function hasMetadata(error: unknown): error is Error & { $metadata: { requestId?: string; httpStatusCode?: number } } {
  return error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === "object";
}
