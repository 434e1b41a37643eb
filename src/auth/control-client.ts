/**
 * The Bedrock control plane's GetInferenceProfile, the one control-plane call the library makes: a SigV4-signed
 * (or Bedrock API key) GET on /inference-profiles/{identifier}, with the runtime's region and auth method and
 * aws_bedrock_endpoint for a custom endpoint. Signed with @smithy/signature-v4 as the AWS SDK signs it; failures
 * are Errors named like the SDK names them (the x-amzn-ErrorType), with AWS's message.
 */
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { ResolvedAuth } from "./types.js";

/** The one setting the control-plane call reads besides the resolved auth. */
export interface BedrockControlSettings {
  aws_bedrock_endpoint?: string | undefined;
}

export interface InferenceProfileDescription {
  inferenceProfileName?: string;
  inferenceProfileArn?: string;
  inferenceProfileId?: string;
  type?: string;
  models?: { modelArn?: string }[];
}

/** Bounds a lookup that hangs (a firewall dropping packets): the call it prepares has its own timeout after. */
const LOOKUP_TIMEOUT_MS = 10_000;

function controlError(status: number, errorType: string | null, body: string): Error {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { message?: string; Message?: string };
    message = parsed.message ?? parsed.Message ?? body;
  } catch {
    // Not JSON: the body is the message.
  }
  const error = new Error(message || `HTTP ${status}`);
  error.name = errorType?.split(":")[0] || `HTTP${status}`;
  return error;
}

export async function getInferenceProfile(
  settings: BedrockControlSettings,
  auth: ResolvedAuth,
  identifier: string,
): Promise<InferenceProfileDescription> {
  const base = new URL(settings.aws_bedrock_endpoint ?? `https://bedrock.${auth.region}.amazonaws.com`);
  const path = `${base.pathname.replace(/\/$/, "")}/inference-profiles/${encodeURIComponent(identifier)}`;
  let request = new HttpRequest({
    method: "GET",
    protocol: base.protocol,
    hostname: base.hostname,
    ...(base.port ? { port: Number(base.port) } : {}),
    path,
    headers: { host: base.host, accept: "application/json" },
  });
  if (auth.token) {
    const { token } = await auth.token();
    request.headers.authorization = `Bearer ${token}`;
  } else if (auth.credentials) {
    const sha256 = Hash.bind(null, "sha256");
    const signer = new SignatureV4({ credentials: auth.credentials, region: auth.region, service: "bedrock", sha256 });
    request = (await signer.sign(request)) as HttpRequest;
  }
  const { host: _host, ...headers } = request.headers;
  const response = await fetch(`${base.protocol}//${base.host}${path}`, {
    method: "GET",
    headers,
    signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok) throw controlError(response.status, response.headers.get("x-amzn-errortype"), body);
  return JSON.parse(body) as InferenceProfileDescription;
}
