/**
 * What an LLM instance resolves once, lazily on its first call: credentials, the Bedrock client, and per model
 * string the ModelProfile, prices and error context. Nothing here runs per call after the first.
 */
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { adoptBedrockRuntimeClient, createBedrockRuntimeClient, resolveAuth, resolveRegion } from "../auth/index.js";
import type { ResolvedAuth } from "../auth/types.js";
import type { ErrorContext } from "../bedrock/errors.js";
import { buildProfile } from "../bedrock/profile.js";
import type { ModelProfile } from "../bedrock/types.js";
import type { LLMConfig } from "../config/types.js";
import { resolveModel } from "../models/index.js";
import {
  type ApplicationProfileResolution,
  applicationProfileArn,
  describeResolution,
  resolveApplicationProfile,
} from "./application-profiles.js";
import { type TokenPrices, tokenPrices } from "./cost.js";

export interface ModelRuntime {
  profile: ModelProfile;
  prices: TokenPrices;
  errors: ErrorContext;
  /** The foundation model id CountTokens takes (an application profile's base model, not its ARN). */
  foundationModel: string;
}

export class Runtime {
  /** Undefined when the caller brought its own client (its credentials are its own business). */
  readonly auth: ResolvedAuth | undefined;
  readonly region: string;
  readonly client: BedrockRuntimeClient;
  /** Where calls go (for connection errors); unknown when the caller brought its own client. */
  readonly endpoint: string | undefined;
  private readonly models = new Map<string, ModelRuntime>();
  /** Application profiles looked up before their model is first resolved, by model string. */
  private readonly profiles = new Map<string, ApplicationProfileResolution>();

  constructor(
    private readonly config: LLMConfig,
    private readonly warn: (message: string) => void,
    client?: BedrockRuntimeClient,
  ) {
    if (client) {
      this.client = adoptBedrockRuntimeClient(client);
      this.region = resolveRegion(config);
    } else {
      this.auth = resolveAuth(config);
      this.region = this.auth.region;
      this.client = createBedrockRuntimeClient(config, this.auth);
      this.endpoint = config.aws_bedrock_runtime_endpoint ?? `https://bedrock-runtime.${this.region}.amazonaws.com`;
    }
  }

  /**
   * What must be fetched before a model is first resolved: an application inference profile's model
   * (GetInferenceProfile), unless base_model names it. Once per model string; a no-op after.
   */
  async prepare(override?: string): Promise<void> {
    const key = override ?? this.config.model;
    if (this.models.has(key) || this.profiles.has(key)) return;
    const arn = applicationProfileArn(this.configFor(key));
    if (arn === undefined) return;
    const region = { aws_region_name: this.config.aws_region_name ?? this.region };
    this.profiles.set(key, await resolveApplicationProfile(arn, { ...this.configFor(key), ...region }, this.auth));
  }

  /** The configured model, or a per-request override ("bedrock/<id>" or a bare id). */
  model(override?: string): ModelRuntime {
    const key = override ?? this.config.model;
    let model = this.models.get(key);
    if (!model) {
      model = this.resolve(key);
      this.models.set(key, model);
    }
    return model;
  }

  private configFor(model: string): LLMConfig {
    return model === this.config.model ? this.config : { ...this.config, model: withPrefix(model) };
  }

  private resolve(model: string): ModelRuntime {
    const config = this.configFor(model);
    const profile = this.profiles.get(model);
    if (profile) this.warn(describeResolution(profile));
    const baseModel = profile?.baseModel;
    const resolved = resolveModel({
      ...config,
      aws_region_name: config.aws_region_name ?? this.region,
      ...(baseModel ? { base_model: baseModel } : {}),
    });
    for (const notice of resolved.notices) this.warn(notice);
    return {
      profile: buildProfile(config, resolved),
      prices: tokenPrices(config, resolved.info),
      errors: {
        modelId: resolved.sentId,
        region: this.region,
        section: sectionName(config),
        endpoint: this.endpoint,
        auth: this.auth,
      },
      foundationModel: baseModel ?? config.base_model ?? resolved.info.id,
    };
  }
}

function withPrefix(model: string): string {
  return model.startsWith("bedrock/") ? model : `bedrock/${model}`;
}

function sectionName(config: LLMConfig): string {
  return config.section === "llm" || !config.section ? "llm" : `llm.${config.section}`;
}
