/**
 * Anthropic's cache_control hint, as agents put it on content parts: a cache point is placed right after the part
 * (Bedrock caches the prompt up to there), with the TTL it asks for.
 */
import { z } from "zod";

export const cacheControlSchema = z.object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() });
export type CacheControl = z.infer<typeof cacheControlSchema>;
