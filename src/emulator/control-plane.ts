/**
 * The Bedrock control plane's inference-profile reads, on the emulator's port, with the paths and shapes of the
 * AWS API (as @aws-sdk/client-bedrock calls them): GET /inference-profiles/{inferenceProfileIdentifier} (an id or
 * an ARN) and GET /inference-profiles (maxResults, nextToken, type). Signed as "bedrock", like the runtime.
 */
import { authenticate } from "./auth.js";
import { bedrockAuthError, sendBedrockError } from "./bedrock-errors.js";
import { type Exchange, sendJson, signedParts } from "./exchange.js";
import { recordRequest } from "./recorder.js";
import { type InferenceProfile, systemProfiles } from "./runtime/inference-profiles.js";
import { geographiesOf } from "./runtime/resolve.js";
import type { EmulatorState } from "./state.js";
import { EmulatorError } from "./types.js";

export const INFERENCE_PROFILES_PATH = "/inference-profiles";

const TYPES = ["SYSTEM_DEFINED", "APPLICATION"];
const ARN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):(\d{12}):(application-inference-profile|inference-profile)\/(.+)$/;

export function isControlPlaneRequest(ex: Exchange): boolean {
  return (
    ex.method === "GET" &&
    (ex.rawPath === INFERENCE_PROFILES_PATH || ex.rawPath.startsWith(`${INFERENCE_PROFILES_PATH}/`))
  );
}

function visibleProfiles(state: EmulatorState, region: string, accountId: string): InferenceProfile[] {
  const application = [...state.applicationProfiles.values()]
    .filter((p) => p.region === region && p.accountId === accountId)
    .map((p) => p.profile);
  return [...systemProfiles(region, accountId, geographiesOf(region)), ...application];
}

function notFound(identifier: string): EmulatorError {
  return new EmulatorError(
    "ResourceNotFoundException",
    404,
    `The inference profile ${identifier} doesn't exist. Check the inference profile identifier and try again.`,
  );
}

function getProfile(state: EmulatorState, encoded: string, region: string, accountId: string): InferenceProfile {
  let identifier: string;
  try {
    identifier = decodeURIComponent(encoded);
  } catch {
    throw notFound(encoded);
  }
  const arn = ARN.exec(identifier);
  if (arn && (arn[1] !== region || arn[2] !== accountId)) throw notFound(identifier);
  const id = arn ? (arn[4] as string) : identifier;
  const found = visibleProfiles(state, region, accountId).find((p) => p.inferenceProfileId === id);
  if (!found) throw notFound(identifier);
  return found;
}

function listProfiles(state: EmulatorState, ex: Exchange, region: string, accountId: string): unknown {
  const type = ex.query.get("type");
  if (type !== null && !TYPES.includes(type)) {
    throw new EmulatorError(
      "ValidationException",
      400,
      `1 validation error detected: Value '${type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [${TYPES.join(", ")}]`,
    );
  }
  const maxResults = Number(ex.query.get("maxResults") ?? "1000");
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    throw new EmulatorError(
      "ValidationException",
      400,
      `1 validation error detected: Value '${ex.query.get("maxResults")}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const all = visibleProfiles(state, region, accountId).filter((p) => type === null || p.type === type);
  const start = Number(ex.query.get("nextToken") ?? "0") || 0;
  const page = all.slice(start, start + maxResults);
  const next = start + maxResults < all.length ? { nextToken: String(start + maxResults) } : {};
  return { inferenceProfileSummaries: page, ...next };
}

export async function handleControlPlane(ex: Exchange, state: EmulatorState): Promise<void> {
  const auth = await authenticate(state, signedParts(ex), { service: "bedrock", allowBearer: true });
  const single = ex.rawPath.length > INFERENCE_PROFILES_PATH.length + 1;
  const record = recordRequest(state, {
    operation: single ? "GetInferenceProfile" : "ListInferenceProfiles",
    ...(auth.ok ? { accessKeyId: auth.caller.accessKeyId } : {}),
    authType: auth.ok ? auth.caller.authType : auth.authType,
    httpVersion: ex.httpVersion,
    path: ex.rawPath,
    body: Object.fromEntries(ex.query),
  });
  try {
    if (!auth.ok) throw bedrockAuthError(auth.failure);
    const { accountId } = auth.caller;
    const body = single
      ? getProfile(state, ex.rawPath.slice(INFERENCE_PROFILES_PATH.length + 1), auth.region, accountId)
      : listProfiles(state, ex, auth.region, accountId);
    record.status = 200;
    sendJson(ex.res, 200, body);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    record.status = error.status;
    sendBedrockError(ex.res, error);
  }
}
