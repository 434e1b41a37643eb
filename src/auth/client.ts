// STUB (contract): the auth helper replaces the body, keeping the exported name and signature.
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { LLMConfig } from "../config/types.js";
import type { ResolvedAuth } from "./index.js";

/**
 * The one place a BedrockRuntimeClient is made: region, custom endpoint, the auth method the configuration chose
 * (and only that one: authSchemePreference pins SigV4 vs bearer), and maxAttempts 1 because the LLM layer runs its
 * own retry policy.
 */
export function createBedrockRuntimeClient(config: LLMConfig, auth: ResolvedAuth): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: auth.region,
    ...(config.aws_bedrock_runtime_endpoint ? { endpoint: config.aws_bedrock_runtime_endpoint } : {}),
    ...(auth.credentials ? { credentials: auth.credentials } : {}),
    maxAttempts: 1,
  });
}
