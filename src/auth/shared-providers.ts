/** Providers from @aws-sdk/credential-providers for the file- and environment-based methods. */
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { LLMConfig } from "../config/types.js";
import { refreshingProvider } from "./refreshing-provider.js";
import { profileRoleAssumer } from "./sts.js";

/**
 * A named profile: static keys, SSO (token cache written by `aws sso login`), role_arn + source_profile chains,
 * credential_process, web_identity_token_file. Files are re-read at each refresh so a fresh `aws sso login`
 * is picked up without a restart.
 */
export function profileProvider(config: LLMConfig, profile: string, region: string): AwsCredentialIdentityProvider {
  const provider = fromIni({
    profile,
    ignoreCache: true,
    roleAssumer: profileRoleAssumer(config, region),
    parentClientConfig: { region },
  });
  return refreshingProvider(() => provider());
}

/** The SDK's default chain: environment, shared files, web identity token file, container and instance metadata. */
export function defaultChainProvider(config: LLMConfig, region: string): AwsCredentialIdentityProvider {
  const provider = fromNodeProviderChain({
    roleAssumer: profileRoleAssumer(config, region),
    parentClientConfig: { region },
  });
  return refreshingProvider(() => provider());
}
