import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { LLMConfig } from "../config/types.js";
import type { ResolvedAuth } from "./types.js";

/**
 * The one place a BedrockRuntimeClient is made: region, custom endpoint, the auth method the configuration chose
 * (and only that one: authSchemePreference pins SigV4 vs bearer, because the SDK otherwise switches to bearer
 * whenever AWS_BEARER_TOKEN_BEDROCK is in the environment), and maxAttempts 1 because the LLM layer runs its
 * own retry policy.
 */
export function createBedrockRuntimeClient(config: LLMConfig, auth: ResolvedAuth): BedrockRuntimeClient {
  const endpoint = config.aws_bedrock_runtime_endpoint ? { endpoint: config.aws_bedrock_runtime_endpoint } : {};
  const identity = auth.token
    ? { token: auth.token, authSchemePreference: ["httpBearerAuth"] }
    : { credentials: auth.credentials, authSchemePreference: ["sigv4"] };
  return new BedrockRuntimeClient({ region: auth.region, ...endpoint, ...identity, maxAttempts: 1 });
}
