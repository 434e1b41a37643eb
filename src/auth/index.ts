/**
 * Authentication: an [llm] configuration becomes the one AWS credential (or Bedrock API key) provider it asks
 * for. See docs/AUTH.md for the resolution order, each method, refresh behaviour and error messages.
 */
export { adoptBedrockRuntimeClient, createBedrockRuntimeClient } from "./client.js";
export { getInferenceProfile, type InferenceProfileDescription } from "./control-client.js";
export type { CredentialsErrorContext } from "./errors.js";
export { isCredentialsFailure, isRefusedCredentials, toCredentialsError } from "./errors.js";
export type { CallerIdentity } from "./identity.js";
export { getCallerIdentity } from "./identity.js";
export { resolveRegion } from "./region.js";
export { resolveAuth } from "./resolve.js";
export { defaultSessionName, sanitizeSessionName } from "./session-name.js";
export type { AuthDetails, AuthMethod, ResolvedAuth } from "./types.js";
