// The gateway's own credential and configuration failures: clients get a generic 5xx, the operator's log the cause.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import { type RunningGateway, startGateway } from "../../src/gateway/index.js";
import { API_KEY, MODEL } from "./harness.js";

const FOREIGN_ROLE = "arn:aws:iam::999999999999:role/NotOurs";
let emulator: RunningEmulator;
let gateway: RunningGateway;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const config = configFromObject(
    {
      llm: {
        model: MODEL,
        cross_region_target: "us",
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: emulator.url,
        aws_sts_endpoint: emulator.url,
        num_retries: 0,
        foreign: { aws_role_name: FOREIGN_ROLE },
      },
      server: { api_keys: [API_KEY] },
    },
    { env: {} },
  );
  gateway = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog: () => {} });
});
afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
});

describe("operator-side failures", () => {
  it("a role the gateway cannot assume: 502 upstream_credentials without the ARN; the cause goes to stderr", async () => {
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
    let failure: unknown;
    try {
      await client.chat.completions.create({ model: "foreign", messages: [{ role: "user", content: "hi" }] });
    } catch (error) {
      failure = error;
    } finally {
      spy.mockRestore();
    }
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const err = failure as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(502);
    expect(err.code).toBe("upstream_credentials");
    expect(err.message).toContain("log");
    expect(err.message).not.toContain("999999999999");
    // Other writers (Node's own warnings) share stderr: read the gateway's JSON lines only.
    const logged = stderr
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: string; message: string });
    const cause = logged.find((entry) => entry.level === "error");
    expect(cause?.message).toContain(FOREIGN_ROLE);
    expect(stderr.join("")).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
  });
});
