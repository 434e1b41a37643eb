/**
 * The shared AWS files (~/.aws/config and ~/.aws/credentials), seen exactly as the AWS SDK sees them: the same
 * paths (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, `~/` and the home directory from @smithy's getHomeDir),
 * the same profile name rule (AWS_PROFILE, else "default") and the same parse (@smithy's INI dialect: `[default]`,
 * `[profile NAME]` in the config file, `sso-session` and `services` sections, sub-properties, ` #` / ` ;`
 * comments), giving @smithy's own `SharedConfigFiles` shape.
 *
 * Configuration loading (parseConfig) and resolveAuth are synchronous, and @smithy's loadSharedConfigFiles is
 * asynchronous with its parser private, so the files are read synchronously here and parsed by the same rules;
 * test/auth/aws-shared-files.test.ts holds this module and loadSharedConfigFiles to the same answers.
 * Credentials themselves are always read by the SDK's own providers. This is the only place these files are read
 * by the library; config (the profile's region) and auth (does the profile exist, messages) both use it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_PREFIX_SEPARATOR, DEFAULT_PROFILE, ENV_PROFILE, getHomeDir } from "@smithy/shared-ini-file-loader";
import { IniSectionType, type ParsedIniData, type SharedConfigFiles } from "@smithy/types";

export type Env = Record<string, string | undefined>;

export interface SharedFilePaths {
  configFile: string;
  credentialsFile: string;
}

const HOME_PREFIX = "~/";

/** `~/x` is relative to the home directory, as loadSharedConfigFiles resolves it. */
export function expandHomePath(path: string): string {
  return path.startsWith(HOME_PREFIX) ? join(getHomeDir(), path.slice(HOME_PREFIX.length)) : path;
}

/** The files the SDK reads: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE when set, else ~/.aws/config and ~/.aws/credentials. */
export function sharedFilePaths(env: Env = process.env): SharedFilePaths {
  return {
    configFile: expandHomePath(env.AWS_CONFIG_FILE || join(getHomeDir(), ".aws", "config")),
    credentialsFile: expandHomePath(env.AWS_SHARED_CREDENTIALS_FILE || join(getHomeDir(), ".aws", "credentials")),
  };
}

/** The profile in use: the configured one, else AWS_PROFILE, else "default" (the SDK's getProfileName rule). */
export function profileNameFor(configured: string | undefined, env: Env = process.env): string {
  return configured || env[ENV_PROFILE] || DEFAULT_PROFILE;
}

/** Both files parsed, as loadSharedConfigFiles returns them: a missing or unreadable file is empty. */
export function readSharedFiles(env: Env = process.env): SharedConfigFiles {
  const paths = sharedFilePaths(env);
  return { configFile: readConfigFile(paths.configFile), credentialsFile: parseFile(paths.credentialsFile) };
}

/** True when either file has a section for the profile (what the SDK's fromIni needs to find it). */
export function profileExists(profile: string, env: Env = process.env): boolean {
  const { configFile, credentialsFile } = readSharedFiles(env);
  return Object.hasOwn(configFile, profile) || Object.hasOwn(credentialsFile, profile);
}

/** Every profile name in either file, sorted, for messages. */
export function listProfiles(env: Env = process.env): string[] {
  const { configFile, credentialsFile } = readSharedFiles(env);
  const profiles = new Set([...Object.keys(credentialsFile), ...Object.keys(configFile)]);
  // Keys like "sso-session.corp" or "services.x" are other section kinds, not profiles.
  return [...profiles].filter((name) => !isOtherSection(name)).sort();
}

/** The `region` of a profile in the config file, or undefined (no file, no such profile, no region). */
export function profileRegion(profile: string, env: Env = process.env): string | undefined {
  const profiles = readConfigFile(sharedFilePaths(env).configFile);
  return Object.hasOwn(profiles, profile) ? profiles[profile]?.region : undefined;
}

function readConfigFile(path: string): ParsedIniData {
  return profilesOfConfigFile(parseFile(path));
}

function parseFile(path: string): ParsedIniData {
  try {
    return parseIni(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

const SECTION_TYPES: readonly string[] = Object.values(IniSectionType);
/** `profile NAME`, `sso-session NAME`, `services NAME`, optionally quoted, as @smithy recognises them. */
const PREFIXED_SECTION = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;
const BLOCKED_SECTION_NAMES = ["__proto__", "profile __proto__"];

/**
 * @smithy's INI dialect, line by line: comments start at `#` or `;` at the line start or after whitespace; a
 * `[section]` of a known type becomes "type.NAME"; `key =` with no value opens a sub-section whose indented
 * `sub = value` lines become "key.sub".
 */
function parseIni(text: string): ParsedIniData {
  const data: ParsedIniData = Object.create(null);
  let section: string | undefined;
  let subSection: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = (line.split(/(^|\s)[;#]/)[0] ?? "").trim();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      const name = trimmed.slice(1, -1);
      if (BLOCKED_SECTION_NAMES.includes(name)) throw new Error(`invalid profile name "${name}"`);
      const prefixed = PREFIXED_SECTION.exec(name);
      section = prefixed ? sectionKey(prefixed[1] as string, prefixed[3] as string) : name;
      subSection = undefined;
      continue;
    }
    if (!section) continue;
    const equals = trimmed.indexOf("=");
    if (equals <= 0) continue;
    const key = trimmed.slice(0, equals).trim();
    const value = trimmed.slice(equals + 1).trim();
    if (value === "") {
      subSection = key;
      continue;
    }
    if (subSection !== undefined && line.trimStart() === line) subSection = undefined;
    data[section] ??= {};
    (data[section] as Record<string, string>)[subSection === undefined ? key : `${subSection}.${key}`] = value;
  }
  return data;
}

function sectionKey(type: string, name: string): string | undefined {
  return SECTION_TYPES.includes(type) ? `${type}${CONFIG_PREFIX_SEPARATOR}${name}` : undefined;
}

/** In the config file, `[profile NAME]` is profile NAME and `[default]` is default; other plain sections are ignored. */
function profilesOfConfigFile(data: ParsedIniData): ParsedIniData {
  const profiles: ParsedIniData = Object.create(null);
  if (data.default) profiles.default = data.default;
  for (const [key, values] of Object.entries(data)) {
    const separator = key.indexOf(CONFIG_PREFIX_SEPARATOR);
    if (separator === -1) continue;
    const type = key.slice(0, separator);
    if (!SECTION_TYPES.includes(type)) continue;
    profiles[type === IniSectionType.PROFILE ? key.slice(separator + 1) : key] = values;
  }
  return profiles;
}

function isOtherSection(name: string): boolean {
  const separator = name.indexOf(CONFIG_PREFIX_SEPARATOR);
  return separator !== -1 && SECTION_TYPES.includes(name.slice(0, separator)) && !name.startsWith("profile.");
}
