/**
 * A copy of a configuration that is safe to print or log: every secret becomes "****" plus at most its last
 * 4 characters, and only when the secret is long enough (12+ characters) that 4 characters reveal little.
 */

import { SECRET_KEYS } from "./keys.js";
import { webIdentityTokenFile } from "./web-identity-token.js";

const MASK = "****";
const MIN_LENGTH_TO_SHOW_TAIL = 12;

/** "****" plus the last 4 characters of a long secret, "****" alone for a short one. */
export function maskSecret(secret: string): string {
  return secret.length < MIN_LENGTH_TO_SHOW_TAIL ? MASK : `${MASK}${secret.slice(-4)}`;
}

function redactField(key: string, value: unknown): unknown {
  if (typeof value === "string") {
    // A token file's path is not secret. Token or file is decided by the rule auth uses, so a token with "/" stays hidden.
    if (key === "aws_web_identity_token" && webIdentityTokenFile(value) !== undefined) return value;
    return maskSecret(value);
  }
  if (Array.isArray(value)) return value.map((item) => (typeof item === "string" ? maskSecret(item) : MASK));
  return value === undefined || value === null ? value : MASK;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    // provenance maps key names to where they came from: the names are not secrets.
    if (key === "provenance" && field !== null && typeof field === "object") copy[key] = { ...field };
    else copy[key] = SECRET_KEYS.has(key) ? redactField(key, field) : walk(field);
  }
  return copy;
}

/** A deep copy safe to print: secrets shown as "****" plus at most their last 4 characters. */
export function redact<T>(config: T): T {
  return walk(config) as T;
}
