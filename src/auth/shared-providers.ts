/** Providers from @aws-sdk/credential-providers for the file- and environment-based methods. */
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { refreshingProvider } from "./refreshing-provider.js";
import { profileRoleAssumer, type StsOptions } from "./sts.js";

export interface SharedProviderOptions {
  /** STS for role_arn + source_profile chains, and the region the SDK's inner clients use. */
  sts: StsOptions;
}

export interface ProfileProviderOptions extends SharedProviderOptions {
  profile: string;
}

/**
 * A named profile: static keys, SSO (token cache written by `aws sso login`), role_arn + source_profile chains,
 * credential_process, web_identity_token_file. Files are re-read at each refresh so a fresh `aws sso login`
 * is picked up without a restart.
 */
export function profileProvider(options: ProfileProviderOptions): AwsCredentialIdentityProvider {
  const provider = fromIni({
    profile: options.profile,
    ignoreCache: true,
    roleAssumer: profileRoleAssumer(options.sts),
    parentClientConfig: { region: options.sts.region },
  });
  return refreshingProvider(() => provider());
}

/** The SDK's default chain: environment, shared files, web identity token file, container and instance metadata. */
export function defaultChainProvider(options: SharedProviderOptions): AwsCredentialIdentityProvider {
  const provider = fromNodeProviderChain({
    roleAssumer: profileRoleAssumer(options.sts),
    parentClientConfig: { region: options.sts.region },
  });
  return refreshingProvider(() => provider());
}
