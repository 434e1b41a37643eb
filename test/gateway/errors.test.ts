// Every error the gateway answers, in OpenAI's format and with OpenAI's status codes.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, control, type Harness, startHarness } from "./harness.js";

const MAX_BODY = 64 * 1024;
let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness({ max_body_bytes: MAX_BODY });
  client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
});

const hello = [{ role: "user" as const, content: "hello" }];

async function apiError(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", ...headers },
    body,
  });
}

describe("gateway errors", () => {
  it("400 for a body that is not JSON", async () => {
    const res = await post("{not json");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "invalid_json" },
    });
  });

  it("400 naming the parameter for a bad field", async () => {
    const err = await apiError(client.chat.completions.create({ model: "default", messages: hello, temperature: 7 }));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: "invalid_request_error", param: "temperature" });
    const missing = await post(JSON.stringify({ model: "default" }));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe("messages");
  });

  it("404 model_not_found for an unknown model", async () => {
    const err = await apiError(client.chat.completions.create({ model: "gpt-4o", messages: hello }));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe("model_not_found");
    expect(err.message).toContain("gpt-4o");
  });

  it("413 for a body over max_body_bytes", async () => {
    const big = JSON.stringify({ model: "default", messages: [{ role: "user", content: "x".repeat(MAX_BODY) }] });
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("request_too_large");
  });

  it("401 without the API key or with a wrong one", async () => {
    const none = await fetch(`${h.gateway.url}/v1/models`);
    expect(none.status).toBe(401);
    const wrong = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
    const err = await apiError(wrong.chat.completions.create({ model: "default", messages: hello }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe("invalid_api_key");
    expect((await recordedRequestsCount()) === 0).toBe(true);
  });

  it("429 with Retry-After when Bedrock still throttles after retries", async () => {
    await control(h.emulator.url, "faults", { operation: "*", error: "ThrottlingException", count: 5 });
    const err = await apiError(client.chat.completions.create({ model: "default", messages: hello }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers?.get("retry-after")).toMatch(/^\d+$/);
    expect(err.error).toMatchObject({ type: "rate_limit_error" });
  });

  it("429 also for a stream refused before its first chunk", async () => {
    await control(h.emulator.url, "faults", { operation: "*", error: "ThrottlingException", count: 5 });
    const err = await apiError(
      client.chat.completions.create({ model: "default", messages: hello, stream: true }).then(async (s) => {
        for await (const _ of s) {
          // drain
        }
      }),
    );
    expect(err.status).toBe(429);
  });

  it.each([
    ["InternalServerException", 502],
    ["ServiceUnavailableException", 503],
    ["ModelTimeoutException", 504],
  ])("maps upstream %s to %i", async (error, status) => {
    await control(h.emulator.url, "faults", { operation: "*", error, count: 5 });
    const err = await apiError(client.chat.completions.create({ model: "default", messages: hello }));
    expect(err.status).toBe(status);
    expect(err.error).toMatchObject({ type: "upstream_error" });
  });

  it("reports a failure in the middle of a stream in-band", async () => {
    await control(h.emulator.url, "faults", {
      operation: "ConverseStream",
      error: "ModelStreamErrorException",
      count: 5,
      afterEvents: 3,
    });
    const stream = await client.chat.completions.create({ model: "default", messages: hello, stream: true });
    const err = await apiError(
      (async () => {
        for await (const _ of stream) {
          // drain until the error event
        }
      })(),
    );
    expect(err.message).toMatch(/.+/);
  });
});

async function recordedRequestsCount(): Promise<number> {
  const data = (await control(h.emulator.url, "requests")) as unknown[] | { requests: unknown[] };
  return Array.isArray(data) ? data.length : data.requests.length;
}
