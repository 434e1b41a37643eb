// The error contract: each library error code's HTTP answer from the gateway, and docs/ERRORS.md naming every code
// a client or script may match on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_BY_ERROR_CODE } from "../../src/cli/exit.js";
import {
  AbortedError,
  AccessDeniedError,
  type BedrockLLMError,
  type BedrockLLMErrorCode,
  ConfigError,
  CredentialsError,
  ERROR_CODES,
  GuardrailInterventionError,
  ModelNotReadyError,
  ResourceNotFoundError,
  ServiceError,
  ThrottlingError,
  TimeoutError,
  ValidationError,
} from "../../src/errors.js";
import { keyErrors } from "../../src/gateway/keys/errors.js";
import { ANSWER_BY_ERROR_CODE, answerFor, errors, toGatewayError } from "../../src/gateway/openai-error.js";

const SECRET_DETAIL = "role arn:aws:iam::999999999999:role/Private in /etc/bedrock.toml";

const sample: Record<BedrockLLMErrorCode, BedrockLLMError> = {
  config: new ConfigError(SECRET_DETAIL),
  credentials: new CredentialsError(SECRET_DETAIL),
  access: new AccessDeniedError(SECRET_DETAIL),
  throttling: new ThrottlingError("Too many requests", { retryAfterSeconds: 2.5, requestId: "req-1" }),
  validation: new ValidationError("messages: bad"),
  guardrail: new GuardrailInterventionError("blocked"),
  not_found: new ResourceNotFoundError("no such model"),
  model_not_ready: new ModelNotReadyError("loading"),
  timeout: new TimeoutError("took too long"),
  aborted: new AbortedError("client left"),
  service: new ServiceError("boom", { statusCode: 500 }),
};

describe("library errors -> gateway answers", () => {
  it.each([
    ["config", 500, "server_error", "gateway_config"],
    ["credentials", 502, "upstream_error", "upstream_credentials"],
    ["access", 502, "upstream_error", "upstream_access_denied"],
    ["throttling", 429, "rate_limit_error", "rate_limit_exceeded"],
    ["validation", 400, "invalid_request_error", "invalid_request"],
    ["guardrail", 400, "invalid_request_error", "content_filter"],
    ["not_found", 404, "upstream_error", "upstream_not_found"],
    ["model_not_ready", 503, "upstream_error", "model_not_ready"],
    ["timeout", 504, "upstream_error", "upstream_timeout"],
    ["aborted", 499, "server_error", "client_closed"],
    ["service", 502, "upstream_error", "upstream_error"],
  ] as const)("%s -> %i %s / %s, counted under its code", (libraryCode, status, type, code) => {
    const failure = toGatewayError(sample[libraryCode]);
    expect([failure.status, failure.type, failure.code, failure.kind]).toEqual([status, type, code, libraryCode]);
  });

  it("covers every code of the error family", () => {
    expect(Object.keys(ANSWER_BY_ERROR_CODE).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(answerFor(sample[code]).status).toBeGreaterThanOrEqual(400);
  });

  it("a service error that was a 503 is upstream_unavailable", () => {
    const failure = toGatewayError(new ServiceError("unavailable", { statusCode: 503 }));
    expect([failure.status, failure.code]).toEqual([503, "upstream_unavailable"]);
  });

  it("throttling answers Retry-After, whole seconds, at least 1, and quotes the AWS request id", () => {
    const failure = toGatewayError(sample.throttling);
    expect(failure.headers["retry-after"]).toBe("3");
    expect(failure.message).toContain("req-1");
    expect(toGatewayError(new ThrottlingError("slow")).headers["retry-after"]).toBe("1");
  });

  it.each(["config", "credentials", "access"] as const)(
    "%s is the operator's business: the client gets a generic sentence, the log the cause",
    (code) => {
      const failure = toGatewayError(sample[code]);
      expect(failure.message).not.toContain("999999999999");
      expect(failure.message).toContain("log");
      expect(failure.operatorDetail).toBe(SECRET_DETAIL);
    },
  );

  it("anything else is a 500 internal_error that says nothing of its cause", () => {
    const failure = toGatewayError(new TypeError("cannot read x of undefined"));
    expect([failure.status, failure.code, failure.kind]).toEqual([500, "internal_error", "internal"]);
    expect(failure.message).not.toContain("undefined");
  });
});

describe("docs/ERRORS.md", () => {
  const doc = readFileSync(new URL("../../docs/ERRORS.md", import.meta.url), "utf8");

  it("names every library error code with its exit code", () => {
    for (const code of ERROR_CODES) {
      expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\|.*\\| ${EXIT_CODE_BY_ERROR_CODE[code]} \\|`));
    }
  });

  it("names every code the gateway answers with", () => {
    const gatewayCodes = new Set<string>();
    for (const code of ERROR_CODES) gatewayCodes.add(answerFor(sample[code]).code);
    gatewayCodes.add("upstream_unavailable");
    const own = [
      errors.unauthorized(),
      errors.notFound("/x"),
      errors.methodNotAllowed("GET", "/x"),
      errors.bodyTooLarge(1),
      errors.badJson(),
      errors.badField("bad", "x"),
      errors.unknownModel("x"),
      errors.unsupportedModel("x"),
      errors.busy(),
      errors.shuttingDown(),
      errors.internal(),
      keyErrors.expired("k"),
      keyErrors.modelNotAllowed("k", "m"),
      keyErrors.limited("k", "rpm", 1, 1),
      keyErrors.limited("k", "tpm", 1, 1),
      keyErrors.budget("k", 1, "day", 1),
      keyErrors.storeUnavailable(),
    ];
    for (const failure of own) gatewayCodes.add(failure.code ?? "");
    for (const code of gatewayCodes) expect(doc).toContain(`\`${code}\``);
  });
});
