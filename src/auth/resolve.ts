import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { listProfiles, profileExists, profileNameFor, sharedFilePaths } from "../config/aws-shared-files.js";
import type { LLMConfig } from "../config/types.js";
import { webIdentityTokenFile } from "../config/web-identity-token.js";
import { ConfigError, CredentialsError } from "../errors.js";
import { isRefusedCredentials, registerSecrets, toCredentialsError, unknownProfileMessage } from "./errors.js";
import { resolveRegion, sectionLabel } from "./region.js";
import { assumeRoleProvider } from "./role.js";
import { defaultSessionName, sanitizeSessionName } from "./session-name.js";
import { defaultChainProvider, profileProvider } from "./shared-providers.js";
import { isRoleArn, type StsOptions } from "./sts.js";
import type { AuthMethod, ResolvedAuth } from "./types.js";
import { webIdentityProvider } from "./web-identity.js";

/**
 * Chooses the one authentication method the configuration asks for, in this order: explicit keys
 * (+ aws_session_token) -> aws_web_identity_token (+ aws_role_name) -> aws_role_name -> aws_profile_name ->
 * aws_bearer_token (or AWS_BEARER_TOKEN_BEDROCK) -> the SDK's default chain. aws_role_name is assumed from the
 * base credentials the other settings give (explicit keys, the profile, or the default chain), so keys with a
 * role name mean "assume the role with these keys". Nothing is fetched here: providers fetch on first use.
 */
export function resolveAuth(config: LLMConfig): ResolvedAuth {
  const region = resolveRegion(config);
  const sts: StsOptions = { region, endpoint: config.aws_sts_endpoint };
  const secrets = secretsOf(config);
  const auth = chooseMethod({ config, sts, secrets });
  if (auth.credentials) auth.credentials = mapFailures(auth.credentials, auth, secrets);
  registerSecrets(auth, secrets);
  return auth;
}

function secretsOf(config: LLMConfig): (string | undefined)[] {
  const token = config.aws_web_identity_token;
  // A token file's path is not secret, and messages must be able to name it.
  const inlineToken = token && webIdentityTokenFile(token) === undefined ? token : undefined;
  return [config.aws_secret_access_key, config.aws_session_token, inlineToken, bearerTokenOf(config)];
}

/** What the method builders share: the configuration, where STS is, and the secrets to scrub from messages. */
interface Resolution {
  config: LLMConfig;
  sts: StsOptions;
  secrets: (string | undefined)[];
}

function chooseMethod(resolution: Resolution): ResolvedAuth {
  const { config, sts } = resolution;
  const keys = explicitKeys(config);
  if (keys) return config.aws_role_name ? roleAuth(resolution, config.aws_role_name) : keysAuth(keys, sts.region);
  if (config.aws_web_identity_token) return webIdentityAuth(resolution, config.aws_web_identity_token);
  if (config.aws_role_name) return roleAuth(resolution, config.aws_role_name);
  if (config.aws_profile_name) return profileAuth(sts, config.aws_profile_name);
  const bearer = bearerTokenOf(config);
  if (bearer) {
    return {
      method: "bearer-token",
      description: `Bedrock API key ${config.aws_bearer_token ? "from aws_bearer_token" : "from AWS_BEARER_TOKEN_BEDROCK"}`,
      region: sts.region,
      token: async () => ({ token: bearer }),
    };
  }
  return defaultChainAuth(sts);
}

function bearerTokenOf(config: LLMConfig): string | undefined {
  return config.aws_bearer_token || process.env.AWS_BEARER_TOKEN_BEDROCK || undefined;
}

function explicitKeys(config: LLMConfig): AwsCredentialIdentity | undefined {
  const { aws_access_key_id: id, aws_secret_access_key: secret, aws_session_token: sessionToken } = config;
  if (!id && !secret) {
    if (sessionToken) throw missingKey(config, "aws_session_token", "aws_access_key_id and aws_secret_access_key");
    return undefined;
  }
  if (!id) throw missingKey(config, "aws_secret_access_key", "aws_access_key_id");
  if (!secret) throw missingKey(config, "aws_access_key_id", "aws_secret_access_key");
  return { accessKeyId: id, secretAccessKey: secret, ...(sessionToken ? { sessionToken } : {}) };
}

function missingKey(config: LLMConfig, present: string, missing: string): ConfigError {
  return new ConfigError(
    `[${sectionLabel(config.section)}] sets ${present} but not ${missing}: set both, or neither.`,
    {
      key: missing.split(" ")[0],
    },
  );
}

function keysAuth(keys: AwsCredentialIdentity, region: string): ResolvedAuth {
  const method: AuthMethod = keys.sessionToken ? "session-token" : "static-keys";
  return {
    method,
    description:
      method === "session-token"
        ? `temporary keys ${maskKeyId(keys.accessKeyId)} with aws_session_token from the configuration`
        : `static keys ${maskKeyId(keys.accessKeyId)} from the configuration`,
    region,
    credentials: async () => keys,
  };
}

function profileAuth(sts: StsOptions, profile: string): ResolvedAuth {
  const paths = sharedFilePaths();
  if (!profileExists(profile)) {
    throw new CredentialsError(unknownProfileMessage(profile, paths, listProfiles()), { method: "profile" });
  }
  return {
    method: "profile",
    description: `profile "${profile}" from ${paths.configFile} / ${paths.credentialsFile}`,
    region: sts.region,
    credentials: profileProvider({ profile, sts }),
    details: { profile, ...paths },
  };
}

function roleAuth(resolution: Resolution, role: string): ResolvedAuth {
  const { config, sts, secrets } = resolution;
  const keys = explicitKeys(config);
  const base: ResolvedAuth = keys
    ? keysAuth(keys, sts.region)
    : config.aws_profile_name
      ? profileAuth(sts, config.aws_profile_name)
      : defaultChainAuth(sts);
  const roleSessionName = sessionNameOf(config);
  const auth: ResolvedAuth = {
    method: "role",
    description: `role ${role} assumed as session "${roleSessionName}" from ${base.description}`,
    region: sts.region,
    details: { ...base.details, role, roleSessionName, baseMethod: base.method },
  };
  const roleCredentials = assumeRoleProvider({
    role,
    roleSessionName,
    sts,
    base: mapFailures(base.credentials as AwsCredentialIdentityProvider, base, secrets),
    onRoleArn: (arn) => {
      if (auth.details) auth.details.role = arn;
    },
  });
  // STS refusing the base credentials is the base's fault (e.g. a wrong secret key), not the role's.
  auth.credentials = async (properties) => {
    try {
      return await roleCredentials(properties);
    } catch (error) {
      throw toCredentialsError(error, isRefusedCredentials(error) ? base : auth);
    }
  };
  return auth;
}

function defaultChainAuth(sts: StsOptions): ResolvedAuth {
  return {
    method: "default-chain",
    description:
      "the AWS SDK default credential chain (environment, shared files, web identity token file, container, instance metadata)",
    region: sts.region,
    credentials: defaultChainProvider({ sts }),
    details: { profile: profileNameFor(undefined), ...sharedFilePaths() },
  };
}

function webIdentityAuth({ config, sts }: Resolution, tokenOrFile: string): ResolvedAuth {
  const role = config.aws_role_name || process.env.AWS_ROLE_ARN;
  if (!role || !isRoleArn(role)) {
    throw new ConfigError(
      `[${sectionLabel(config.section)}] aws_web_identity_token needs aws_role_name set to the full ARN of the role ` +
        `to assume (arn:aws:iam::<account>:role/<name>): there are no credentials to learn the account from.`,
      { key: "aws_role_name" },
    );
  }
  // Token or file by the rule redaction uses too (src/config/web-identity-token.ts), decided once.
  const tokenFile = webIdentityTokenFile(tokenOrFile);
  const roleSessionName = sessionNameOf(config);
  return {
    method: "web-identity",
    description: `role ${role} assumed with a web identity token ${tokenFile ? `from ${tokenFile}` : "from aws_web_identity_token"}`,
    region: sts.region,
    credentials: webIdentityProvider({
      roleArn: role,
      roleSessionName,
      sts,
      ...(tokenFile ? { tokenFile } : { token: tokenOrFile }),
    }),
    details: { role, roleSessionName, ...(tokenFile ? { webIdentityTokenFile: tokenFile } : {}) },
  };
}

function sessionNameOf(config: LLMConfig): string {
  return config.aws_session_name ? sanitizeSessionName(config.aws_session_name) : defaultSessionName(config.section);
}

/** Access key ids are not secret, but showing only the end is the AWS CLI's habit and enough to recognise one. */
function maskKeyId(accessKeyId: string): string {
  return `****${accessKeyId.slice(-4)}`;
}

/** Provider failures surface as CredentialsErrors naming the method and the fix, whatever raised them. */
function mapFailures(
  provider: AwsCredentialIdentityProvider,
  auth: ResolvedAuth,
  secrets: (string | undefined)[],
): AwsCredentialIdentityProvider {
  registerSecrets(auth, secrets);
  return async (properties) => {
    try {
      return await provider(properties);
    } catch (error) {
      throw toCredentialsError(error, auth);
    }
  };
}
