/**
 * USD per token for one model: the configured *_cost_per_token overrides (application inference profiles,
 * negotiated prices) or the registry's prices per 1M tokens. Cache reads and writes have their own prices.
 */
import type { LLMConfig } from "../config/types.js";
import type { ModelInfo } from "../models/types.js";
import type { CompletionUsage } from "./types.js";

export interface TokenPrices {
  input: number;
  output: number;
  cacheRead: number;
  /** Cache writes when Bedrock does not say their TTL: the configured cache_ttl's price. */
  cacheWrite: number;
  /** Cache writes per TTL, for usage that carries Bedrock's cacheDetails. */
  cacheWriteByTtl: { "5m": number; "1h": number };
}

const PER_MILLION = 1_000_000;

export function tokenPrices(config: LLMConfig, info: ModelInfo): TokenPrices {
  const registry = info.pricing;
  const input = config.input_cost_per_token ?? (registry ? registry.input / PER_MILLION : 0);
  // Cache points carry the configured TTL, and 1-hour writes are priced higher than 5-minute ones.
  const oneHourWrites = config.cache_ttl === "1h" && info.promptCaching?.ttls.includes("1h") === true;
  const registryWrite = (oneHourWrites ? registry?.cacheWrite1h : undefined) ?? registry?.cacheWrite;
  const perToken = (perMillion: number | undefined) =>
    config.cache_write_cost_per_token ?? (perMillion !== undefined ? perMillion / PER_MILLION : input);
  return {
    input,
    output: config.output_cost_per_token ?? (registry ? registry.output / PER_MILLION : 0),
    cacheRead:
      config.cache_read_cost_per_token ??
      (registry?.cacheRead !== undefined ? registry.cacheRead / PER_MILLION : input),
    cacheWrite: perToken(registryWrite),
    cacheWriteByTtl: {
      "5m": perToken(registry?.cacheWrite),
      "1h": perToken(registry?.cacheWrite1h ?? registry?.cacheWrite),
    },
  };
}

/** Cache writes priced per TTL where Bedrock reported them (cacheDetails), else at the configured TTL's price. */
function cacheWriteCost(usage: CompletionUsage, prices: TokenPrices): number {
  const { cache_write_tokens: total, cache_write_tokens_by_ttl: byTtl } = usage.prompt_tokens_details;
  if (!byTtl) return total * prices.cacheWrite;
  const oneHour = byTtl["1h"] ?? 0;
  const fiveMinutes = byTtl["5m"] ?? total - oneHour;
  return oneHour * prices.cacheWriteByTtl["1h"] + fiveMinutes * prices.cacheWriteByTtl["5m"];
}

export function costOf(usage: CompletionUsage, prices: TokenPrices): number {
  const { cached_tokens: cacheRead, cache_write_tokens: cacheWrite } = usage.prompt_tokens_details;
  const plainInput = usage.prompt_tokens - cacheRead - cacheWrite;
  const cost =
    plainInput * prices.input +
    usage.completion_tokens * prices.output +
    cacheRead * prices.cacheRead +
    cacheWriteCost(usage, prices);
  // Rounded far below a cent: no floating-point tails (0.0000035000000000000004) in JSON output.
  return Math.round(cost * 1e15) / 1e15;
}
