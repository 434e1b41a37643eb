/**
 * The region of a profile in the shared AWS config file, read synchronously because configuration loading is
 * a synchronous step (parseConfig). Follows the AWS CLI's file rules: AWS_CONFIG_FILE or ~/.aws/config,
 * "[default]" and "[profile NAME]" sections, "region = ..." lines, "#" and ";" comments.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export type Env = Record<string, string | undefined>;

export function awsConfigFilePath(env: Env): string {
  if (env.AWS_CONFIG_FILE) return env.AWS_CONFIG_FILE;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  return join(home, ".aws", "config");
}

function sectionName(header: string): string {
  const name = header.trim();
  return name.startsWith("profile ") ? name.slice("profile ".length).trim() : name;
}

/** The `region` of `profile` in the AWS config file, or undefined (no file, no profile, no region). */
export function profileRegion(profile: string, env: Env): string | undefined {
  let text: string;
  try {
    text = readFileSync(awsConfigFilePath(env), "utf8");
  } catch {
    return undefined;
  }
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sectionName(header[1] as string);
      continue;
    }
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (setting && current === profile) return setting[1];
  }
  return undefined;
}
