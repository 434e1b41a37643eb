import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { refreshingProvider } from "./refreshing-provider.js";
import { assumeRole, createStsClient, roleArnFor, type StsOptions } from "./sts.js";

export interface AssumeRoleOptions {
  /** Role name (the account comes from GetCallerIdentity, asked once) or full role ARN. */
  role: string;
  roleSessionName: string;
  sts: StsOptions;
  /** The credentials the role is assumed from. */
  base: AwsCredentialIdentityProvider;
  /** Told the full ARN once it is known, so messages and `check` can show it. */
  onRoleArn?: (arn: string) => void;
}

/** AssumeRole from base credentials, cached and refreshed before expiry; one STS client for the provider's life. */
export function assumeRoleProvider(options: AssumeRoleOptions): AwsCredentialIdentityProvider {
  const sts = createStsClient(options.sts, options.base);
  let roleArn: Promise<string> | undefined;
  const learnRoleArn = (): Promise<string> => {
    roleArn ??= roleArnFor(options.role, sts).then(
      (arn) => {
        options.onRoleArn?.(arn);
        return arn;
      },
      (error: unknown) => {
        roleArn = undefined; // ask again next time rather than remember a failure
        throw error;
      },
    );
    return roleArn;
  };
  return refreshingProvider(async () =>
    assumeRole(sts, { RoleArn: await learnRoleArn(), RoleSessionName: options.roleSessionName }),
  );
}
