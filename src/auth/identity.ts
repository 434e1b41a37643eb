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

/** STS GetCallerIdentity with the resolved credentials; bearer tokens have no identity to show. */
export async function getCallerIdentity(
  config: LLMConfig,
  auth: ResolvedAuth = resolveAuth(config),
): Promise<CallerIdentity> {
  if (!auth.credentials) {
    return { note: "a Bedrock API key is a bearer token, not an AWS identity: STS cannot say whose it is" };
  }
  const sts = createStsClient(config, auth.region, auth.credentials);
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
