/**
 * Inference profiles as the Bedrock control plane describes them (GetInferenceProfile, ListInferenceProfiles):
 * the system-defined cross-region profiles of the emulator's model table, and application inference profiles
 * created through the control API (POST /_emulator/inference-profiles) from a foundation model or a system
 * profile. The runtime resolves an application profile ARN to the model it was created from.
 */
import { randomBytes } from "node:crypto";
import type { EmulatorState } from "../state.js";
import { findModel, type Geography, MODELS, type ModelSpec } from "./models.js";

/** Source regions of each geography's system profiles, as the emulator lists them. */
const GEOGRAPHY_REGIONS: Record<Geography, readonly string[]> = {
  us: ["us-east-1", "us-east-2", "us-west-2"],
  eu: ["eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1"],
  apac: ["ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2"],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4"],
  "us-gov": ["us-gov-west-1", "us-gov-east-1"],
  global: [""],
};

const GEOGRAPHY_NAMES: Record<Geography, string> = {
  us: "US",
  eu: "EU",
  apac: "APAC",
  jp: "JP",
  au: "AU",
  "us-gov": "US-GOV",
  global: "GLOBAL",
};

export interface InferenceProfile {
  inferenceProfileName: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
  inferenceProfileArn: string;
  models: { modelArn: string }[];
  inferenceProfileId: string;
  status: "ACTIVE";
  type: "SYSTEM_DEFINED" | "APPLICATION";
}

/** An application profile as the emulator keeps it: its description, and the model it runs. */
export interface ApplicationProfile {
  profile: InferenceProfile;
  modelId: string;
  region: string;
  accountId: string;
}

const EPOCH = "2024-08-27T00:00:00Z";

function foundationArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

function systemProfile(spec: ModelSpec, geography: Geography, region: string, accountId: string): InferenceProfile {
  const id = `${geography}.${spec.id}`;
  return {
    inferenceProfileName: `${GEOGRAPHY_NAMES[geography]} ${spec.name}`,
    description: `Routes requests to ${spec.name} in ${GEOGRAPHY_REGIONS[geography].filter(Boolean).join(", ") || "any commercial region"}.`,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    inferenceProfileArn: `arn:aws:bedrock:${region}:${accountId}:inference-profile/${id}`,
    models: GEOGRAPHY_REGIONS[geography].map((r) => ({ modelArn: foundationArn(r, spec.id) })),
    inferenceProfileId: id,
    status: "ACTIVE",
    type: "SYSTEM_DEFINED",
  };
}

/** The system profiles a caller in `region` can use (the geographies that region belongs to). */
export function systemProfiles(
  region: string,
  accountId: string,
  geographies: readonly Geography[],
): InferenceProfile[] {
  return MODELS.flatMap((spec) =>
    spec.profiles.filter((g) => geographies.includes(g)).map((g) => systemProfile(spec, g, region, accountId)),
  );
}

export interface NewApplicationProfile {
  name: string;
  /** A foundation model id or ARN, or a system profile id or ARN, to copy. */
  copyFrom: string;
  description?: string;
  region: string;
  accountId: string;
}

const PROFILE_PREFIX = /^(us-gov|global|apac|us|eu|jp|au)\./;

/** Creates an application profile; throws an Error saying what is wrong with the source. */
export function createApplicationProfile(state: EmulatorState, request: NewApplicationProfile): ApplicationProfile {
  const source = request.copyFrom.replace(
    /^arn:aws[a-z-]*:bedrock:[^:]*:\d*:(foundation-model|inference-profile)\//,
    "",
  );
  const geography = PROFILE_PREFIX.exec(source)?.[1] as Geography | undefined;
  const modelId = geography ? source.slice(geography.length + 1) : source;
  const spec = findModel(modelId);
  if (!spec) throw new Error(`copyFrom: no model or system inference profile "${request.copyFrom}"`);
  if (geography && !spec.profiles.includes(geography)) {
    throw new Error(`copyFrom: ${spec.name} has no "${geography}" inference profile`);
  }
  const id = randomBytes(9)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "0")
    .slice(0, 12);
  const now = new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const models = geography
    ? GEOGRAPHY_REGIONS[geography].map((r) => ({ modelArn: foundationArn(r, spec.id) }))
    : [{ modelArn: foundationArn(request.region, spec.id) }];
  const profile: InferenceProfile = {
    inferenceProfileName: request.name,
    ...(request.description ? { description: request.description } : {}),
    createdAt: now,
    updatedAt: now,
    inferenceProfileArn: `arn:aws:bedrock:${request.region}:${request.accountId}:application-inference-profile/${id}`,
    models,
    inferenceProfileId: id,
    status: "ACTIVE",
    type: "APPLICATION",
  };
  const created: ApplicationProfile = {
    profile,
    modelId: spec.id,
    region: request.region,
    accountId: request.accountId,
  };
  state.applicationProfiles.set(id, created);
  return created;
}
