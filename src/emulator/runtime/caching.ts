/**
 * Explicit prompt caching. Each cache point closes a prefix of the prompt; the prefix is identified by a hash of
 * its canonical JSON and the model id. The longest live prefix already in the cache is read; tokens from there to
 * the last cache point are written; the rest is plain input. Prefixes below the model's minimum are not cached.
 */
import { createHash } from "node:crypto";
import type { EmulatorState } from "../state.js";
import { modelValidation, validation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import { type CachePointSegment, canonicalJson, type Segment } from "./prompt.js";

export const MAX_CACHE_POINTS = 4;
/** Expired entries are dropped once the cache holds this many, so a long-running emulator stays small. */
const PRUNE_ABOVE = 10_000;
const TTL_MS: Record<string, number> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };

export interface CacheUsage {
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  cacheDetails: { ttl: string; inputTokens: number }[];
}

interface Checkpoint {
  hash: string;
  prefixTokens: number;
  ttl: string;
}

/** Refuses cache points the model or Bedrock would refuse. Call before any other side effect. */
export function validateCachePoints(segments: readonly Segment[], spec: ModelSpec): void {
  const points = segments.filter((s): s is CachePointSegment => s.kind === "cachePoint");
  if (points.length === 0) return;
  if (spec.cacheMinTokens === 0) {
    throw validation("This model doesn't support the cachePoint field. Remove cachePoint and try again.");
  }
  if (!spec.cacheInTools && points.some((p) => p.path.startsWith("toolConfig"))) {
    throw validation(
      "This model doesn't support the toolConfig.tools.cachePoint field. Remove toolConfig.tools.cachePoint and try again.",
    );
  }
  if (points.length > MAX_CACHE_POINTS) {
    throw modelValidation(
      `A maximum of ${MAX_CACHE_POINTS} blocks with cache_control may be provided. Found ${points.length}.`,
    );
  }
  let sawShort = false;
  for (const point of points) {
    const ttl = point.ttl ?? "5m";
    if (!(ttl in TTL_MS)) {
      throw validation(
        `1 validation error detected: Value '${ttl}' at '${point.path}.cachePoint.ttl' failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]`,
      );
    }
    if (ttl === "1h" && !spec.oneHourCache) {
      throw validation(
        `This model doesn't support the ttl value 1h at ${point.path}.cachePoint.ttl. Use 5m or remove the ttl field and try again.`,
      );
    }
    if (ttl === "1h" && sawShort) {
      throw modelValidation(
        `${point.path}.cachePoint.ttl: a ttl='1h' cache point must not come after a ttl='5m' cache point. Note that blocks are processed in the following order: \`tools\`, \`system\`, \`messages\`.`,
      );
    }
    if (ttl === "5m") sawShort = true;
  }
}

function checkpoints(segments: readonly Segment[], spec: ModelSpec): Checkpoint[] {
  const hash = createHash("sha256").update(spec.id);
  let tokens = 0;
  const result: Checkpoint[] = [];
  for (const segment of segments) {
    if (segment.kind === "content") {
      tokens += segment.tokens;
      hash.update(canonicalJson(segment.canonical)).update("\u0000");
    } else if (tokens >= spec.cacheMinTokens) {
      result.push({ hash: hash.copy().digest("hex"), prefixTokens: tokens, ttl: segment.ttl ?? "5m" });
    }
  }
  return result;
}

/** Reads and writes the prompt cache for one successful call and returns the usage split. */
export function applyPromptCache(
  segments: readonly Segment[],
  totalTokens: number,
  spec: ModelSpec,
  state: EmulatorState,
): CacheUsage {
  const points = checkpoints(segments, spec);
  const now = state.now();
  if (state.promptCache.size > PRUNE_ABOVE) pruneExpired(state, now);
  let readTokens = 0;
  for (const point of points) {
    const expiry = state.promptCache.get(point.hash);
    if (expiry !== undefined && expiry > now) readTokens = point.prefixTokens;
  }
  const cacheDetails: CacheUsage["cacheDetails"] = [];
  let covered = readTokens;
  for (const point of points) {
    if (point.prefixTokens > covered) {
      cacheDetails.push({ ttl: point.ttl, inputTokens: point.prefixTokens - covered });
      covered = point.prefixTokens;
    }
    // A hit refreshes the entry's lifetime, as Bedrock's cache does.
    state.promptCache.set(point.hash, now + (TTL_MS[point.ttl] ?? 0));
  }
  const writeTokens = covered - readTokens;
  return {
    inputTokens: totalTokens - covered,
    cacheReadInputTokens: readTokens,
    cacheWriteInputTokens: writeTokens,
    cacheDetails,
  };
}

function pruneExpired(state: EmulatorState, now: number): void {
  for (const [hash, expiry] of state.promptCache) if (expiry <= now) state.promptCache.delete(hash);
}
