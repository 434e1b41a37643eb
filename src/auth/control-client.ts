import { BedrockClient } from "@aws-sdk/client-bedrock";
import type { ResolvedAuth } from "./types.js";

/** The one setting the control-plane client reads besides the resolved auth. */
export interface BedrockClientSettings {
  aws_bedrock_endpoint?: string | undefined;
}

/**
 * A client of the Bedrock control plane (GetInferenceProfile), with the same region and auth method as the
 * runtime client and a custom endpoint from aws_bedrock_endpoint. Its calls are rare lookups: the SDK's own
 * retries (3 attempts) apply.
 */
export function createBedrockClient(settings: BedrockClientSettings, auth: ResolvedAuth): BedrockClient {
  const endpoint = settings.aws_bedrock_endpoint ? { endpoint: settings.aws_bedrock_endpoint } : {};
  const identity = auth.token
    ? { token: auth.token, authSchemePreference: ["httpBearerAuth"] }
    : { credentials: auth.credentials, authSchemePreference: ["sigv4"] };
  return new BedrockClient({ region: auth.region, ...endpoint, ...identity });
}
