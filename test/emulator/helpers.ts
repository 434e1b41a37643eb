/** Shared by the emulator transport tests: clients pointed at a running emulator, and signed fetch. */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { STSClient } from "@aws-sdk/client-sts";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, type RunningEmulator } from "../../src/emulator/index.js";
import { EmulatorControl } from "../support/control.js";

export const HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";
export const SONNET_45_PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
export const REGION = "us-east-1";

export const BUILTIN_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: BUILTIN_ACCESS_KEY_ID,
  secretAccessKey: BUILTIN_SECRET_ACCESS_KEY,
};

export function bedrockClient(
  emulator: RunningEmulator,
  credentials: AwsCredentialIdentity = BUILTIN_CREDENTIALS,
): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ endpoint: emulator.url, region: REGION, credentials, maxAttempts: 1 });
}

export function stsClient(
  emulator: RunningEmulator,
  credentials: AwsCredentialIdentity = BUILTIN_CREDENTIALS,
): STSClient {
  return new STSClient({ endpoint: emulator.url, region: REGION, credentials, maxAttempts: 1 });
}

export interface SignedFetchOptions {
  method?: string;
  /** Path as sent on the wire (already percent-encoded where needed). */
  path: string;
  /** Query parameters, signed as the SDK signs them (canonical query string). */
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  service?: string;
  /** Region to sign for; defaults to REGION. */
  region?: string;
  credentials?: AwsCredentialIdentity;
  signal?: AbortSignal;
  /** Defaults to now. */
  signingDate?: Date;
  /** Changes the signed headers before sending, to test what the server does with a tampered request. */
  tamper?: (headers: Record<string, string>) => void;
}

/** fetch (HTTP/1.1) signed with @smithy/signature-v4, as a hand-written Bedrock client would. */
export async function signedFetch(emulator: RunningEmulator, options: SignedFetchOptions): Promise<Response> {
  const url = new URL(emulator.url);
  const request = new HttpRequest({
    method: options.method ?? "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: options.path,
    ...(options.query ? { query: options.query } : {}),
    headers: { host: url.host, "content-type": "application/json", ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const signer = new SignatureV4({
    credentials: options.credentials ?? BUILTIN_CREDENTIALS,
    region: options.region ?? REGION,
    service: options.service ?? "bedrock",
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(request, options.signingDate ? { signingDate: options.signingDate } : {});
  const headers = { ...signed.headers };
  delete headers.host;
  options.tamper?.(headers);
  const search = options.query ? `?${new URLSearchParams(options.query)}` : "";
  return fetch(`${emulator.url}${options.path}${search}`, {
    method: signed.method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** @deprecated Use the `control` fixture (test/support/fixtures.ts), `control.send` for the raw exchange. */
export async function control(emulator: RunningEmulator, path: string, body?: unknown): Promise<Response> {
  return new EmulatorControl(emulator.url).send(path, body);
}

export function converseBody(text: string) {
  return { messages: [{ role: "user", content: [{ text }] }], inferenceConfig: { maxTokens: 64 } };
}

export function encodedModelPath(modelId: string, operation: string): string {
  return `/model/${encodeURIComponent(modelId)}/${operation}`;
}
