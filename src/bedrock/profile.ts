/**
 * ModelProfile: what every call to one model shares (the id sent, capabilities, cache policy, guardrail config),
 * computed once per LLM instance and model so the per-call translation only walks the messages.
 */
import type { LLMConfig } from "../config/types.js";
import type { ResolvedModel } from "../models/types.js";
import type { CachePolicy, ModelProfile, ProfileSettings } from "./types.js";

function cachePolicy(config: LLMConfig, resolved: ResolvedModel): CachePolicy | null {
  const caching = resolved.info.promptCaching;
  if (!caching) return null;
  const ttl = caching.ttls.includes(config.cache_ttl) ? config.cache_ttl : (caching.ttls[0] ?? "5m");
  return {
    ttl,
    minTokens: caching.minTokensPerCachePoint,
    maxPoints: caching.maxCachePoints,
    system: caching.fields.includes("system"),
    tools: caching.fields.includes("tools"),
    messages: caching.fields.includes("messages"),
    automatic: config.caching_prompt,
  };
}

function profileSettings(config: LLMConfig): ProfileSettings {
  const {
    max_output_tokens,
    temperature,
    top_p,
    reasoning_effort,
    thinking_budget_tokens,
    service_tier,
    latency,
    guardrail_config,
    request_metadata,
  } = config;
  return {
    max_output_tokens,
    temperature,
    top_p,
    reasoning_effort,
    thinking_budget_tokens,
    service_tier,
    latency,
    guardrail_config,
    request_metadata,
  };
}

export function buildProfile(config: LLMConfig, resolved: ResolvedModel): ModelProfile {
  const profile: ModelProfile = {
    sentId: resolved.sentId,
    info: resolved.info,
    settings: profileSettings(config),
    caching: cachePolicy(config, resolved),
  };
  const guardrail = config.guardrail_config;
  if (guardrail) {
    const base = {
      guardrailIdentifier: guardrail.guardrailIdentifier,
      guardrailVersion: guardrail.guardrailVersion,
      ...(guardrail.trace ? { trace: guardrail.trace } : {}),
    };
    profile.guardrail = base;
    profile.guardrailStream = guardrail.streamProcessingMode
      ? { ...base, streamProcessingMode: guardrail.streamProcessingMode }
      : base;
  }
  return profile;
}
