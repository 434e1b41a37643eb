/**
 * API-key check for the gateway. Keys are compared as SHA-256 digests with crypto.timingSafeEqual (fixed length,
 * so neither the key's content nor its length leaks through timing), against every key without early exit.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

export const API_KEYS_ENV = "BEDROCK_LLM_API_KEYS";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

export class ApiKeyCheck {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.filter((k) => k.length > 0).map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** True when no key is configured, or the Authorization header carries one of them. */
  allows(authorization: string | undefined): boolean {
    if (!this.enabled) return true;
    // The auth scheme is case-insensitive (RFC 9110); some clients send "bearer".
    if (authorization?.slice(0, 7).toLowerCase() !== "bearer ") return false;
    return this.allowsKey(authorization.slice(7));
  }

  /** True when no key is configured, or `key` (as an x-api-key header carries it) is one of them. */
  allowsKey(key: string | undefined): boolean {
    if (!this.enabled) return true;
    if (key === undefined) return false;
    const presented = digest(key.trim());
    let match = false;
    for (const known of this.digests) match = timingSafeEqual(presented, known) || match;
    return match;
  }
}

/** Keys from [server] api_keys, else from BEDROCK_LLM_API_KEYS (comma-separated). */
export function configuredApiKeys(configKeys: readonly string[], env: NodeJS.ProcessEnv): string[] {
  if (configKeys.length > 0) return [...configKeys];
  return (env[API_KEYS_ENV] ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h.startsWith("::ffff:127.");
}
