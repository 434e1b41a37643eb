/**
 * The STS actions the emulator serves. Signed actions receive the authenticated caller; AssumeRoleWithWebIdentity
 * is unsigned and trusts the token's shape (and the control API's list of invalid tokens).
 */
import { issueRoleCredentials } from "./credentials.js";
import { BUILTIN_ACCOUNT_ID, type Caller } from "./identity.js";
import type { EmulatorState } from "./state.js";
import { StsError, stsTimestamp, stsValidationError } from "./sts-protocol.js";
import type { IssuedCredentials } from "./types.js";
import { readJwtClaims } from "./web-identity.js";
import type { XmlTree } from "./xml.js";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;

export type SignedAction = (state: EmulatorState, params: URLSearchParams, caller: Caller) => XmlTree;
export type UnsignedAction = (state: EmulatorState, params: URLSearchParams) => XmlTree;

export const SIGNED_ACTIONS: Record<string, SignedAction> = {
  GetCallerIdentity: (_state, _params, caller) => getCallerIdentity(caller),
  AssumeRole: (state, params, caller) => assumeRole(state, params, caller),
};

export const UNSIGNED_ACTIONS: Record<string, UnsignedAction> = {
  AssumeRoleWithWebIdentity: (state, params) => assumeRoleWithWebIdentity(state, params),
};

function getCallerIdentity(caller: Caller): XmlTree {
  return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
}

interface RoleRequest {
  roleArn: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  durationSeconds?: number;
}

function validateRoleRequest(params: URLSearchParams): RoleRequest {
  const roleArn = params.get("RoleArn") ?? undefined;
  const sessionName = params.get("RoleSessionName") ?? undefined;
  if (roleArn === undefined) throw stsValidationError("roleArn", roleArn, "Member must not be null");
  if (sessionName === undefined) throw stsValidationError("roleSessionName", sessionName, "Member must not be null");
  if (sessionName.length < 2) {
    throw stsValidationError("roleSessionName", sessionName, "Member must have length greater than or equal to 2");
  }
  if (sessionName.length > 64) {
    throw stsValidationError("roleSessionName", sessionName, "Member must have length less than or equal to 64");
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw stsValidationError(
      "roleSessionName",
      sessionName,
      "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match?.[1] || !match[2]) throw new StsError("ValidationError", 400, `${roleArn} is invalid`);
  const durationSeconds = validateDuration(params.get("DurationSeconds"));
  return {
    roleArn,
    accountId: match[1],
    roleName: match[2],
    sessionName,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
  };
}

function validateDuration(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 900) {
    throw stsValidationError("durationSeconds", value, "Member must have value greater than or equal to 900");
  }
  if (seconds > 43200) {
    throw stsValidationError("durationSeconds", value, "Member must have value less than or equal to 43200");
  }
  return seconds;
}

function credentialsXml(credentials: IssuedCredentials): XmlTree {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: stsTimestamp(credentials.expiresAt),
  };
}

function assumedRoleUser(credentials: IssuedCredentials): XmlTree {
  return { AssumedRoleId: credentials.userId, Arn: credentials.arn };
}

function assumeRole(state: EmulatorState, params: URLSearchParams, caller: Caller): XmlTree {
  const request = validateRoleRequest(params);
  if (request.accountId !== BUILTIN_ACCOUNT_ID) {
    throw new StsError(
      "AccessDenied",
      403,
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`,
    );
  }
  const credentials = issueRoleCredentials(state, request);
  return {
    Credentials: credentialsXml(credentials),
    AssumedRoleUser: assumedRoleUser(credentials),
    ...packedPolicySize(params, true),
  };
}

/** Session policies (inline or by ARN) and, for AssumeRole, session tags: what STS packs into the token. */
function sessionPolicyParams(params: URLSearchParams, withTags: boolean): string[] {
  const packed: string[] = [];
  for (const [name, value] of params) {
    if (name === "Policy" || name.startsWith("PolicyArns.member.")) packed.push(value);
    else if (withTags && name.startsWith("Tags.member.")) packed.push(value);
  }
  return packed;
}

/**
 * AWS returns PackedPolicySize (the packed session policies and tags as a percentage of the limit) only when the
 * request passed any; clients such as LiteLLM's web-identity flow read it unguarded then. The emulator's rule:
 * one percent per 20 packed characters, at least 1.
 */
function packedPolicySize(params: URLSearchParams, withTags: boolean): { PackedPolicySize?: number } {
  const packed = sessionPolicyParams(params, withTags);
  if (packed.length === 0) return {};
  const characters = packed.reduce((sum, value) => sum + value.length, 0);
  return { PackedPolicySize: Math.max(1, Math.ceil(characters / 20)) };
}

function assumeRoleWithWebIdentity(state: EmulatorState, params: URLSearchParams): XmlTree {
  const request = validateRoleRequest(params);
  const token = params.get("WebIdentityToken") ?? undefined;
  if (token === undefined) throw stsValidationError("webIdentityToken", undefined, "Member must not be null");
  if (token.length < 4) {
    throw new StsError(
      "ValidationError",
      400,
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    );
  }
  const claims = readJwtClaims(token);
  if (!claims) {
    throw new StsError(
      "InvalidIdentityToken",
      400,
      "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
    );
  }
  if (state.invalidWebIdentityTokens.has(token)) {
    throw new StsError(
      "InvalidIdentityToken",
      400,
      "Couldn't verify the web identity token: it is invalid or revoked.",
    );
  }
  const nowSeconds = Math.floor(state.now() / 1000);
  if (claims.exp !== undefined && claims.exp <= nowSeconds) {
    throw new StsError(
      "ExpiredTokenException",
      400,
      `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${claims.exp}`,
    );
  }
  if (request.accountId !== BUILTIN_ACCOUNT_ID) {
    throw new StsError("AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }
  const credentials = issueRoleCredentials(state, request);
  return {
    Credentials: credentialsXml(credentials),
    SubjectFromWebIdentityToken: claims.sub ?? "emulator-subject",
    AssumedRoleUser: assumedRoleUser(credentials),
    Provider: claims.iss ?? "emulator",
    Audience: claims.aud ?? "sts.amazonaws.com",
    ...packedPolicySize(params, false),
  };
}
