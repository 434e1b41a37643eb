/** Writes what `aws configure sso` and `aws sso login` leave behind: a profile and a token cache file. */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SSO_START_URL = "https://my-sso-portal.awsapps.com/start";

export interface SsoProfileOptions {
  home: string;
  profile: string;
  accessToken: string;
  /** Token expiry; in the past for an expired session. */
  expiresAt: Date;
  /** Use the modern [sso-session NAME] layout instead of the legacy keys in the profile. */
  ssoSession?: string;
}

export function writeSsoProfile(options: SsoProfileOptions): void {
  const awsDir = join(options.home, ".aws");
  const cacheDir = join(awsDir, "sso", "cache");
  mkdirSync(cacheDir, { recursive: true });
  const common = "sso_account_id = 123456789012\nsso_role_name = BedrockUser\nregion = us-east-1\n";
  const config = options.ssoSession
    ? `[profile ${options.profile}]\nsso_session = ${options.ssoSession}\n${common}\n` +
      `[sso-session ${options.ssoSession}]\nsso_start_url = ${SSO_START_URL}\nsso_region = us-east-1\n`
    : `[profile ${options.profile}]\nsso_start_url = ${SSO_START_URL}\nsso_region = us-east-1\n${common}`;
  writeFileSync(join(awsDir, "config"), config);
  // The cache file is named after the SHA-1 of the session name (or, legacy, of the start URL).
  const cacheKey = createHash("sha1")
    .update(options.ssoSession ?? SSO_START_URL)
    .digest("hex");
  writeFileSync(
    join(cacheDir, `${cacheKey}.json`),
    JSON.stringify({
      startUrl: SSO_START_URL,
      region: "us-east-1",
      accessToken: options.accessToken,
      expiresAt: options.expiresAt.toISOString(),
    }),
  );
}
