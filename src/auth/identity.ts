import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { LLMConfig } from "../config/types.js";
import { toCredentialsError } from "./errors.js";
import { resolveAuth } from "./resolve.js";
import { createStsClient } from "./sts.js";
import type { ResolvedAuth } from "./types.js";

export interface CallerIdentity {
  account?: string;
  arn?: string;
  userId?: string;
  /** Why there is no identity to show (Bedrock API keys are not STS identities). */
  note?: string;
}

/** The one setting the lookup reads besides the resolved auth. */
export interface CallerIdentitySettings {
  aws_sts_endpoint?: string | undefined;
}

/** STS GetCallerIdentity with the resolved credentials; bearer tokens have no identity to show. */
export async function getCallerIdentity(
  config: LLMConfig,
  auth: ResolvedAuth = resolveAuth(config),
): Promise<CallerIdentity> {
  return lookupCallerIdentity({ aws_sts_endpoint: config.aws_sts_endpoint }, auth);
}

/** getCallerIdentity for an auth already resolved: reads only the STS endpoint of the configuration. */
export async function lookupCallerIdentity(
  settings: CallerIdentitySettings,
  auth: ResolvedAuth,
): Promise<CallerIdentity> {
  if (!auth.credentials) {
    return { note: "a Bedrock API key is a bearer token, not an AWS identity: STS cannot say whose it is" };
  }
  const sts = createStsClient({ region: auth.region, endpoint: settings.aws_sts_endpoint }, auth.credentials);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return {
      ...(identity.Account ? { account: identity.Account } : {}),
      ...(identity.Arn ? { arn: identity.Arn } : {}),
      ...(identity.UserId ? { userId: identity.UserId } : {}),
    };
  } catch (error) {
    throw toCredentialsError(error, auth);
  } finally {
    sts.destroy();
  }
}
