// What the benchmarks that put gateways side by side share (bench/peers.bench.mjs, bench/floor.bench.mjs): the
// bedrock-llm gateway in its own process, the chat completion sent to it, and the Converse call it makes, signed and
// sent straight to the emulator ("direct").
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = (path) => pathToFileURL(join(root, "dist", path)).href;
export const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
export const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const REGION = "us-east-1";
export const API_KEY = "sk-bench";
export const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

/**
 * The bedrock-llm gateway in its own process, as `serve` runs it (access log on stderr, discarded here), with
 * `server` as its [server] (default: the bench's API key), Node started with `nodeFlags`.
 */
export function startBedrockLlm(emulatorUrl, server = { api_keys: [API_KEY] }, nodeFlags = []) {
  const code = `
    const { configFromObject } = await import(${JSON.stringify(dist("config/index.js"))});
    const { startGateway } = await import(${JSON.stringify(dist("gateway/index.js"))});
    const config = configFromObject({
      llm: { model: "bedrock/${MODEL_ID}", aws_region_name: "${REGION}", aws_access_key_id: "${ACCESS_KEY}",
        aws_secret_access_key: "${SECRET_KEY}", aws_bedrock_runtime_endpoint: "${emulatorUrl}", num_retries: 0 },
      server: { max_concurrency: 512, max_queue: 512, ...${JSON.stringify(server)} },
    }, { env: {} });
    const g = await startGateway(config, { host: "127.0.0.1", port: 0 });
    console.log(g.url);
    process.once("SIGTERM", () => g.close().then(() => process.exit(0)));`;
  return urlOf(
    spawn(process.execPath, [...nodeFlags, "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "ignore"] }),
  );
}

/** Resolves with the URL a started process prints as its first line, its pid and a stop function. */
export function urlOf(proc, name = "the bedrock-llm gateway") {
  return new Promise((resolve, reject) => {
    proc.once("exit", (c) => reject(new Error(`${name} exited with ${c}`)));
    createInterface({ input: proc.stdout }).once("line", (url) =>
      resolve({ url: url.trim(), pid: proc.pid, stop: () => proc.kill("SIGTERM") }),
    );
  });
}

export const CONVERSE_BODY = {
  messages: [{ role: "user", content: [{ text: "hello" }] }],
  inferenceConfig: { maxTokens: 64 },
};

/** The Converse / ConverseStream call the gateways make, signed (SigV4 allows reusing it for 15 minutes). */
export async function directRequest(emulatorUrl, stream) {
  const url = new URL(emulatorUrl);
  const body = JSON.stringify(CONVERSE_BODY);
  const signer = new SignatureV4({
    service: "bedrock",
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      path: `/model/${encodeURIComponent(MODEL_ID)}/${stream ? "converse-stream" : "converse"}`,
      headers: { host: url.host, "content-type": "application/json" },
      body,
    }),
  );
  return { url: `${url.origin}${signed.path}`, headers: signed.headers, body };
}

export const chatBody = (model, stream) =>
  JSON.stringify({
    model,
    messages: [{ role: "user", content: "hello" }],
    max_tokens: 64,
    ...(stream && { stream: true, stream_options: { include_usage: true } }),
  });

/** A chat completion to a gateway that takes `apiKey` (bedrock-llm, or the floor's minimal gateway). */
export const chatRequest = (gatewayUrl, stream, apiKey = API_KEY) => ({
  url: `${gatewayUrl}/v1/chat/completions`,
  headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
  body: chatBody("default", stream),
});
