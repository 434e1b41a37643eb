/**
 * The retry verdicts the SDK's classification gives, on errors shaped as the SDK throws them: socket errors that
 * carry $metadata, wrapped causes, stream exception frames (no status), and the Retry-After forms.
 */
import { describe, expect, it } from "vitest";
import { classifyError } from "../../src/bedrock/errors.js";
import { ServiceError, ThrottlingError } from "../../src/errors.js";

const context = { modelId: "anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1", section: "llm" };
const SOCKET_METADATA = { $metadata: { attempts: 1, totalRetryDelay: 0 } };

function answered(name: string, status: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`${name} message`), {
    name,
    $metadata: { httpStatusCode: status, requestId: "rid-2" },
    $response: { statusCode: status, headers },
  });
}

function frame(name: string) {
  return Object.assign(new Error(`${name} in the stream`), { name });
}

describe("retry verdicts", () => {
  it("retries socket failures the SDK decorated with $metadata, directly or as the cause", () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }, SOCKET_METADATA);
    const wrapped = Object.assign(new Error("The pending stream has been canceled (caused by: connect ECONNREFUSED)"), {
      code: "ERR_HTTP2_STREAM_CANCEL",
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      ...SOCKET_METADATA,
    });
    for (const error of [reset, wrapped]) {
      const verdict = classifyError(error, { ...context, endpoint: "http://127.0.0.1:9" });
      expect(verdict.retryable).toBe(true);
      expect(verdict.error).toBeInstanceOf(ServiceError);
      expect(verdict.error.message).toMatch(/^Connection to Bedrock at http:\/\/127\.0\.0\.1:9 failed/);
      expect(verdict.error.awsErrorName).toBeUndefined();
    }
    expect(classifyError(wrapped, context).error.message).toContain("aws_bedrock_runtime_endpoint");
    expect(classifyError(reset, context).error.message).not.toContain("aws_bedrock_runtime_endpoint");
  });

  it("judges stream exception frames by the status the same error has as a response", () => {
    expect(classifyError(frame("InternalServerException"), context).retryable).toBe(true);
    expect(classifyError(frame("ServiceUnavailableException"), context).retryable).toBe(true);
    expect(classifyError(frame("ThrottlingException"), context).retryable).toBe(true);
    expect(classifyError(frame("ModelStreamErrorException"), context).retryable).toBe(false);
    expect(classifyError(frame("ValidationException"), context).retryable).toBe(false);
    expect(classifyError(frame("InternalServerException"), context).error.awsErrorName).toBe("InternalServerException");
  });

  it("retries 502/504 from anything in between, not a used-up quota even when it comes as 429", () => {
    expect(classifyError(answered("BadGateway", 502), context).retryable).toBe(true);
    expect(classifyError(answered("GatewayTimeout", 504), context).retryable).toBe(true);
    const quota = classifyError(answered("ServiceQuotaExceededException", 429), context);
    expect([quota.retryable, quota.error instanceof ThrottlingError]).toEqual([false, true]);
    expect(classifyError(answered("ModelErrorException", 424), context).retryable).toBe(false);
  });

  it("reads Retry-After as seconds or an HTTP date, and x-amz-retry-after in milliseconds", () => {
    const seconds = classifyError(answered("ThrottlingException", 429, { "Retry-After": "3" }), context);
    expect(seconds.retryAfterSeconds).toBe(3);
    expect((seconds.error as ThrottlingError).retryAfterSeconds).toBe(3);
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000);
    const date = classifyError(answered("ThrottlingException", 429, { "retry-after": at.toUTCString() }), context);
    expect(date.retryAfterSeconds).toBeGreaterThan(4);
    expect(date.retryAfterSeconds).toBeLessThanOrEqual(6);
    const millis = classifyError(
      answered("ServiceUnavailableException", 503, { "x-amz-retry-after": "1500" }),
      context,
    );
    expect(millis.retryAfterSeconds).toBe(1.5);
    expect(classifyError(answered("ValidationException", 400, { "retry-after": "3" }), context).retryAfterSeconds).toBe(
      undefined,
    );
  });
});
