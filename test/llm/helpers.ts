/** Shared helpers for the LLM tests: configs, profiles and an emulator-backed LLM. */
import { buildProfile } from "../../src/bedrock/profile.js";
import type { ModelProfile } from "../../src/bedrock/types.js";
import { configFromObject } from "../../src/config/index.js";
import type { LLMConfig } from "../../src/config/types.js";
import { lookupModel, resolveModel } from "../../src/models/index.js";

export const SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
export const SONNET_46 = "anthropic.claude-sonnet-4-6";
export const SONNET_37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
export const TITAN = "amazon.titan-text-express-v1";
export const HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";

/** A validated [llm] section for `model` in us-east-1 (through the us. profile when the model needs one). */
export function llmConfig(model: string, extra: Record<string, unknown> = {}): LLMConfig {
  const profile = lookupModel(model)?.onDemand === false ? { cross_region_target: "us" } : {};
  const section: Record<string, unknown> = { model: `bedrock/${model}`, aws_region_name: "us-east-1", ...profile };
  // An explicit undefined in `extra` removes a key (e.g. cross_region_target).
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete section[key];
    else section[key] = value;
  }
  return configFromObject({ llm: section }, { env: {} }).llm;
}

export function profileFor(model: string, extra: Record<string, unknown> = {}): ModelProfile {
  const config = llmConfig(model, extra);
  return buildProfile(config, resolveModel(config));
}

/** n characters of varied text (about n/4 tokens by the 4-characters rule). */
export function filler(chars: number, seed = "context"): string {
  const words: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i += 1) {
    const word = `${seed}${i % 97}`;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(" ").slice(0, chars);
}
