/**
 * A connection that breaks while a response's body is being read: the SDK's deserializer stamps the response's
 * status (here a 429's) on what it throws (the socket error, or the JSON parser's error on a body cut short) and
 * appends its "Deserialization error" hint. That is a dropped connection, not Bedrock's answer: retried, then the
 * next section of the route; a deployment does not cool down for it.
 */
import { once } from "node:events";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect } from "vitest";
import { classifyError } from "../../src/bedrock/errors.js";
import { ServiceError } from "../../src/errors.js";
import { fallsBack } from "../../src/llm/routing/policy.js";
import { collect, it } from "./emulator.js";
import { ASK, ECHO, routedLLM } from "./routing-helpers.js";

/** An h2c endpoint that answers every call with a 429's headers and half its body, then resets the connection. */
async function resettingEndpoint(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server = http2.createServer();
  server.on("stream", (stream) => {
    calls += 1;
    stream.respond({
      ":status": 429,
      "content-type": "application/json",
      "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
    });
    // The reset once the headers and part of the body are on the wire.
    stream.write('{"message":"Too many requests, please wait', () => stream.session?.socket.resetAndDestroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}`, calls: () => calls, close };
}

let closing: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closing?.();
  closing = undefined;
});

describe("a connection that ends while a response's body is read", () => {
  it("is retried and falls back, for a completion and for a stream before content", async ({ emulator }) => {
    const broken = await resettingEndpoint();
    closing = broken.close;
    const { llm } = routedLLM(
      emulator.url,
      { aws_bedrock_runtime_endpoint: broken.url, num_retries: 1, fallbacks: ["east"] },
      { east: { aws_bedrock_runtime_endpoint: emulator.url } },
    );
    const response = await llm.completion(ASK);
    expect(response.served_by).toBe("east");
    expect(response.choices[0]?.message.content).toBe(ECHO);
    const streamed = await collect(llm.stream(ASK));
    expect(streamed.text).toBe(ECHO);
    expect(streamed.last?.served_by).toBe("east");
    // [llm] tried twice per call (its retry included), then fell back.
    expect(broken.calls()).toBe(4);
    expect(llm.metrics.routing.llm?.fallbacks).toBe(2);
    expect(llm.metrics.routing.llm?.cooldowns ?? 0).toBe(0);
  });
});

/** A socket error as the SDK throws it from a body it was reading: status stamped, hint appended, $response pinned. */
function readFailure(code: string, status: number, extra: Record<string, unknown> = {}) {
  const error = Object.assign(new Error(`${code === "EPIPE" ? "write EPIPE" : "read ECONNRESET"}`), { code, ...extra });
  error.message +=
    "\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.";
  Object.defineProperty(error, "$response", { value: { statusCode: status, headers: {} } });
  return Object.assign(error, { $metadata: { httpStatusCode: status, attempts: 1, totalRetryDelay: 0 } });
}

describe("classification of a body broken on the way", () => {
  const context = { modelId: "anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1", section: "llm" };

  it("is a dropped connection whatever status was stamped on it, and falls back", () => {
    const cases = [
      readFailure("ECONNRESET", 429, { syscall: "read" }),
      readFailure("ECONNRESET", 503, { syscall: "read" }),
      readFailure("EPIPE", 400, { syscall: "write" }),
      readFailure("ECONNRESET", 200, { syscall: "read" }),
      readFailure("ECONNABORTED", 502, { syscall: "write" }),
      // HTTP/1's "socket hang up": ECONNRESET without a syscall.
      Object.assign(readFailure("ECONNRESET", 429), { message: "socket hang up" }),
      // A body cut short: what arrived does not parse.
      readFailure("ECONNRESET", 429, {
        name: "SyntaxError",
        message: "Unterminated string in JSON at position 42",
        code: undefined,
      }),
      // No $response: the socket error as the session handed it over, status stamped by an earlier call.
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", $metadata: { httpStatusCode: 429 } }),
    ];
    for (const error of cases) {
      const verdict = classifyError(error, context);
      expect(verdict.retryable).toBe(true);
      expect(verdict.error).toBeInstanceOf(ServiceError);
      expect(verdict.error.awsErrorName).toBeUndefined();
      expect(verdict.error.message).toMatch(/^Connection to Bedrock failed/);
      expect(verdict.error.message).not.toContain("Deserialization error");
      expect(fallsBack(verdict)).toBe(true);
    }
  });

  it("leaves Bedrock's own answers alone, and errors that are not the connection's", () => {
    const file = Object.assign(new Error("open /tmp/token ENOENT"), { code: "ENOENT", syscall: "open" });
    expect(classifyError(file, context).retryable).toBe(false);
    const throttled = Object.assign(new Error("Too many requests"), {
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 429 },
    });
    expect(classifyError(throttled, context).error.awsErrorName).toBe("ThrottlingException");
    const refused = Object.assign(new Error("bad"), { name: "BadRequest", $metadata: { httpStatusCode: 400 } });
    const verdict = classifyError(refused, context);
    expect([verdict.retryable, verdict.error.awsErrorName, fallsBack(verdict)]).toEqual([false, "BadRequest", false]);
  });
});
