/**
 * Synchronous, read-only view of the shared AWS files (~/.aws/config and ~/.aws/credentials), used where the
 * answer is needed before any request: the region of a profile and whether a profile exists at all. Credentials
 * themselves are always read by the SDK's own providers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getHomeDir } from "@smithy/shared-ini-file-loader";

export interface SharedFilePaths {
  configFile: string;
  credentialsFile: string;
}

type Env = Record<string, string | undefined>;
type Profiles = Map<string, Record<string, string>>;

/** The paths the SDK reads, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE as it does. */
export function sharedFilePaths(env: Env = process.env): SharedFilePaths {
  const home = getHomeDir();
  return {
    configFile: env.AWS_CONFIG_FILE || join(home, ".aws", "config"),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"),
  };
}

/** The profile the SDK would use when none is configured. */
export function defaultProfileName(env: Env = process.env): string {
  return env.AWS_PROFILE || "default";
}

/** A profile's keys merged as the SDK merges them (config file wins over credentials file), or undefined. */
export function readProfile(name: string, env: Env = process.env): Record<string, string> | undefined {
  const paths = sharedFilePaths(env);
  const fromCredentials = parseProfiles(readIfPresent(paths.credentialsFile), false).get(name);
  const fromConfig = parseProfiles(readIfPresent(paths.configFile), true).get(name);
  if (!fromCredentials && !fromConfig) return undefined;
  return { ...fromCredentials, ...fromConfig };
}

/** Every profile name found in either file, for "did you mean" style messages. */
export function listProfiles(env: Env = process.env): string[] {
  const paths = sharedFilePaths(env);
  const names = new Set([
    ...parseProfiles(readIfPresent(paths.credentialsFile), false).keys(),
    ...parseProfiles(readIfPresent(paths.configFile), true).keys(),
  ]);
  return [...names].sort();
}

function readIfPresent(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/**
 * The INI dialect of the AWS files: `[default]` and, in the config file, `[profile NAME]`; other section kinds
 * (sso-session, services) are skipped; indented lines are sub-properties (e.g. s3 settings) and are skipped.
 */
function parseProfiles(text: string, isConfigFile: boolean): Profiles {
  const profiles: Profiles = new Map();
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[([^\]]+)\]/.exec(line);
    if (section?.[1] !== undefined) {
      const name = profileNameOfSection(section[1].trim(), isConfigFile);
      current = name === undefined ? undefined : (profiles.get(name) ?? {});
      if (name !== undefined && current) profiles.set(name, current);
      continue;
    }
    if (!current || /^\s/.test(rawLine)) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line
      .slice(eq + 1)
      .replace(/\s[#;].*$/, "")
      .trim();
    current[key] = value;
  }
  return profiles;
}

function profileNameOfSection(section: string, isConfigFile: boolean): string | undefined {
  if (!isConfigFile) return section;
  if (section === "default") return "default";
  const match = /^profile\s+(.+)$/.exec(section);
  return match?.[1]?.trim();
}
