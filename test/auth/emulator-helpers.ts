/** Talking to the emulator from auth tests: a signed Converse call, temporary credentials, the last call recorded. */
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { createBedrockRuntimeClient, type ResolvedAuth } from "../../src/auth/index.js";
import type { LLMConfig } from "../../src/config/types.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RecordedRequest,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import { EmulatorControl } from "../support/control.js";

export const MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0";
export const REGION = "us-east-1";
export const ACCOUNT_ID = "123456789012";
export const ROLE_NAME = "bedrock-caller";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`;

/** @deprecated Use the `emulator` fixture (test/support/fixtures.ts); kept until tests written before it move. */
export { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, type RunningEmulator, startEmulator };

/** One real Converse call through the client the library builds, so the emulator verifies its signature. */
export async function converse(config: LLMConfig, auth: ResolvedAuth): Promise<string | undefined> {
  const client = createBedrockRuntimeClient(config, auth);
  try {
    const response = await client.send(
      new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "hello" }] }] }),
    );
    return response.output?.message?.content?.[0]?.text;
  } finally {
    client.destroy();
  }
}

/** The last Converse call the emulator received. */
export async function lastConverse(control: EmulatorControl): Promise<RecordedRequest | undefined> {
  return (await control.requests("Converse")).at(-1);
}

/** Temporary credentials straight from the emulator's STS, as a user would get them from `aws sts assume-role`. */
export async function temporaryCredentials(emulator: RunningEmulator) {
  const sts = new STSClient({
    region: REGION,
    endpoint: emulator.url,
    credentials: { accessKeyId: BUILTIN_ACCESS_KEY_ID, secretAccessKey: BUILTIN_SECRET_ACCESS_KEY },
  });
  try {
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "test-setup" }));
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken) {
      throw new Error("emulator STS returned no credentials");
    }
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    };
  } finally {
    sts.destroy();
  }
}

/** @deprecated Use the `control` fixture's `requests(operation)`; kept until tests written before it move. */
export function recordedRequests(emulator: RunningEmulator, operation?: string): Promise<RecordedRequest[]> {
  return new EmulatorControl(emulator.url).requests(operation);
}

/** @deprecated Use the `control` fixture; kept until tests written before it move. `path` starts with /_emulator/. */
export async function control(emulator: RunningEmulator, path: string, body: unknown): Promise<void> {
  const response = await new EmulatorControl(emulator.url).send(path.replace(/^\/_emulator\//, ""), body);
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}
