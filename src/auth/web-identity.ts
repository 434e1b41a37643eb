import { readFile } from "node:fs/promises";
import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { CredentialsError } from "../errors.js";
import { refreshingProvider } from "./refreshing-provider.js";
import { createStsClient, type StsOptions, toIdentity } from "./sts.js";

export interface WebIdentityOptions {
  roleArn: string;
  roleSessionName: string;
  sts: StsOptions;
  /** The token itself, or (when tokenFile is set) nothing. */
  token?: string;
  /** Re-read at each refresh, as Kubernetes rotates projected service account tokens. */
  tokenFile?: string;
}

/** AssumeRoleWithWebIdentity (unsigned) with the token of the moment, cached and refreshed before expiry. */
export function webIdentityProvider(options: WebIdentityOptions): AwsCredentialIdentityProvider {
  const sts = createStsClient(options.sts);
  return refreshingProvider(async () => {
    const token = options.tokenFile ? await readTokenFile(options.tokenFile) : (options.token ?? "");
    const { Credentials } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.roleSessionName,
        WebIdentityToken: token,
      }),
    );
    return toIdentity(Credentials, `AssumeRoleWithWebIdentity ${options.roleArn}`);
  });
}

async function readTokenFile(path: string): Promise<string> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new CredentialsError(
      `Could not read the web identity token file ${path} (${code}). Check aws_web_identity_token: it must be the ` +
        "token itself or the path of a readable file holding it.",
      { method: "web-identity" },
    );
  }
}
