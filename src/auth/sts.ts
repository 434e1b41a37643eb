import {
  AssumeRoleCommand,
  type Credentials,
  GetCallerIdentityCommand,
  STSClient,
  type STSClientConfig,
} from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** STS calls are few and cheap; a couple of retries absorbs a passing network error without stalling a request. */
const STS_MAX_ATTEMPTS = 3;

/** Where STS is reached: the configured region, and aws_sts_endpoint when set. */
export interface StsOptions {
  region: string;
  /** aws_sts_endpoint; unset, the SDK's own rules apply (AWS_ENDPOINT_URL_STS, then the regional endpoint). */
  endpoint?: string | undefined;
}

export function stsClientConfig(options: StsOptions): STSClientConfig {
  return {
    region: options.region,
    maxAttempts: STS_MAX_ATTEMPTS,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

export function createStsClient(options: StsOptions, credentials?: AwsCredentialIdentityProvider): STSClient {
  return new STSClient({ ...stsClientConfig(options), ...(credentials ? { credentials } : {}) });
}

export function isRoleArn(value: string): boolean {
  return value.startsWith("arn:");
}

/**
 * A role name becomes arn:<partition>:iam::<account>:role/<name>, the account and partition taken from
 * GetCallerIdentity of the base credentials; a full ARN is used as it is.
 */
export async function roleArnFor(roleNameOrArn: string, sts: STSClient): Promise<string> {
  if (isRoleArn(roleNameOrArn)) return roleNameOrArn;
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  const partition = identity.Arn?.split(":")[1] || "aws";
  return `arn:${partition}:iam::${identity.Account}:role/${roleNameOrArn}`;
}

export interface AssumeRoleParams {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId?: string;
  DurationSeconds?: number;
}

export async function assumeRole(sts: STSClient, params: AssumeRoleParams): Promise<AwsCredentialIdentity> {
  const { Credentials } = await sts.send(new AssumeRoleCommand(params));
  return toIdentity(Credentials, `AssumeRole ${params.RoleArn}`);
}

export function toIdentity(credentials: Credentials | undefined, operation: string): AwsCredentialIdentity {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`STS ${operation} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}

/**
 * A roleAssumer for the SDK's profile providers (role_arn + source_profile chains), so those AssumeRole calls
 * go to the same STS endpoint and region as ours.
 */
export function profileRoleAssumer(options: StsOptions) {
  return async (source: AwsCredentialIdentity, params: AssumeRoleParams): Promise<AwsCredentialIdentity> => {
    const sts = createStsClient(options, async () => source);
    try {
      return await assumeRole(sts, params);
    } finally {
      sts.destroy();
    }
  };
}
