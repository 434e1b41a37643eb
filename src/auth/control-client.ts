/**
 * The Bedrock control plane's GetInferenceProfile, the one control-plane call the library makes, through
 * @aws-sdk/client-bedrock: the runtime's region and auth method (SigV4 credentials or the Bedrock API key as a
 * bearer token), and aws_bedrock_endpoint for a custom endpoint. Failures are the SDK's errors (named for the AWS
 * exception, with AWS's message); a lookup that gets no answer in time is a TimeoutError.
 */
import { BedrockClient, GetInferenceProfileCommand } from "@aws-sdk/client-bedrock";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { ResolvedAuth } from "./types.js";

/** The one setting the control-plane call reads besides the resolved auth (an LLMConfig fits). */
export interface BedrockControlSettings {
  aws_bedrock_endpoint?: string | undefined;
}

export interface InferenceProfileDescription {
  inferenceProfileName?: string;
  inferenceProfileArn?: string;
  inferenceProfileId?: string;
  type?: string;
  models?: { modelArn?: string }[];
}

/** Bounds a lookup that hangs (a firewall dropping packets), retries included: the call it prepares waits on it. */
export const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * A client of the Bedrock control plane with the same region and auth method as the runtime client
 * (authSchemePreference pins SigV4 vs bearer, as for the runtime). The SDK's own retries (3 attempts) apply:
 * lookups are rare, and the overall timeout bounds them.
 */
function createBedrockClient(settings: BedrockControlSettings, auth: ResolvedAuth): BedrockClient {
  const endpoint = settings.aws_bedrock_endpoint ? { endpoint: settings.aws_bedrock_endpoint } : {};
  const identity = auth.token
    ? { token: auth.token, authSchemePreference: ["httpBearerAuth"] }
    : { credentials: auth.credentials, authSchemePreference: ["sigv4"] };
  return new BedrockClient({
    region: auth.region,
    ...endpoint,
    ...identity,
    // A connection that never opens fails each attempt early, leaving time for a retry within the overall bound.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000 }),
  });
}

export async function getInferenceProfile(
  settings: BedrockControlSettings,
  auth: ResolvedAuth,
  identifier: string,
  timeoutMs: number = LOOKUP_TIMEOUT_MS,
): Promise<InferenceProfileDescription> {
  const client = createBedrockClient(settings, auth);
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    return await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: identifier }), {
      abortSignal,
    });
  } catch (error) {
    // The SDK reports the timeout's abort as "AbortError: Request aborted"; say what happened instead.
    if (abortSignal.aborted) {
      const timeout = new Error(`GetInferenceProfile got no answer within ${timeoutMs} ms`);
      timeout.name = "TimeoutError";
      throw timeout;
    }
    throw error;
  } finally {
    client.destroy();
  }
}
