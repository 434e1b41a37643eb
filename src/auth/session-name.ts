/** STS RoleSessionName rules: 2 to 64 characters of [\w+=,.@-]. */
const INVALID_CHARACTERS = /[^\w+=,.@-]/g;
const MAX_LENGTH = 64;

/**
 * A stable session name for a configuration section, so CloudTrail shows which section made the calls:
 * "bedrock-llm" for [llm], "bedrock-llm-NAME" for [llm.NAME].
 */
export function defaultSessionName(section: string | undefined): string {
  return sanitizeSessionName(section === "llm" || !section ? "bedrock-llm" : `bedrock-llm-${section}`);
}

/** Makes any string a valid RoleSessionName (invalid characters become "-", padded or cut to fit). */
export function sanitizeSessionName(name: string): string {
  const cleaned = name.replace(INVALID_CHARACTERS, "-").slice(0, MAX_LENGTH);
  return cleaned.length >= 2 ? cleaned : cleaned.padEnd(2, "-");
}
