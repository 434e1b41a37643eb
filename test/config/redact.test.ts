import { describe, expect, it } from "vitest";
import { maskSecret, redact } from "../../src/config/index.js";
import { BASE, load } from "./support.js";

const SECRETS = {
  aws_secret_access_key: "qW3rTy7UiOp9AsDfGhJkL0zXcVbNm2QwEKEY",
  aws_session_token: "Fq9Zt1Lk8Pm3Rn5Vb7Xc2Hj4Gd6Sa0We9876",
  aws_bearer_token: "Kp4Lm8Nq2Rs6Tv0Wx3Yz7Ab1Cd5Ef9GhWXYZ",
  aws_web_identity_token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl",
};
const API_KEYS = ["Gk1Vn5Bq9Mz3Lx7Pw1111", "Hr2Tc6Dy0Nf4Kj8Qs2222", "short"];

/** No 5-character piece of a secret, beyond its last 4 characters, may appear in `text` (secrets share none with the rest). */
function expectNoLeak(text: string, secret: string): void {
  const hidden = secret.slice(0, -4);
  for (let start = 0; start + 5 <= hidden.length; start++) {
    expect(text).not.toContain(hidden.slice(start, start + 5));
  }
}

describe("redact", () => {
  const text = `${BASE}aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"
aws_secret_access_key = "${SECRETS.aws_secret_access_key}"
aws_session_token = "${SECRETS.aws_session_token}"

[llm.apikey]
aws_bearer_token = "${SECRETS.aws_bearer_token}"

[llm.oidc]
aws_role_name = "arn:aws:iam::123456789012:role/r"
aws_web_identity_token = "${SECRETS.aws_web_identity_token}"

[llm.oidcfile]
aws_role_name = "arn:aws:iam::123456789012:role/r"
aws_web_identity_token = "/var/run/secrets/token"

[server]
api_keys = ${JSON.stringify(API_KEYS)}
`;
  const config = load(text);
  const redacted = redact(config);
  const printed = [
    JSON.stringify(redacted),
    JSON.stringify(redacted, null, 2),
    String(redacted.llm.aws_secret_access_key),
  ];

  it.each(Object.entries(SECRETS))("hides %s in every output", (_key, secret) => {
    for (const output of printed) expectNoLeak(output, secret);
  });

  it("hides every server API key", () => {
    for (const output of printed) for (const key of API_KEYS) expectNoLeak(output, key);
    expect(redacted.server.api_keys).toEqual(["****1111", "****2222", "****"]);
  });

  it('shows "****" plus the last 4 characters of long secrets', () => {
    expect(redacted.llm.aws_secret_access_key).toBe("****EKEY");
    expect(redacted.llm.aws_session_token).toBe("****9876");
    expect(redacted.llms.apikey?.aws_bearer_token).toBe("****WXYZ");
    expect(redacted.llms.oidc?.aws_web_identity_token).toBe("****dXJl");
  });

  it("keeps what is not secret: key ids, token file paths, provenance", () => {
    expect(redacted.llm.aws_access_key_id).toBe("AKIAIOSFODNN7EXAMPLE");
    expect(redacted.llms.oidcfile?.aws_web_identity_token).toBe("/var/run/secrets/token");
    expect(redacted.llm.provenance?.aws_secret_access_key).toBe("file");
    expect(redacted.llm.model).toBe(config.llm.model);
  });

  it("returns a deep copy and leaves the original intact", () => {
    expect(redacted).not.toBe(config);
    expect(config.llm.aws_secret_access_key).toBe(SECRETS.aws_secret_access_key);
    expect(config.server.api_keys).toEqual(API_KEYS);
  });

  it("works on any object, e.g. a single section", () => {
    const section = redact(config.llms.apikey);
    expectNoLeak(JSON.stringify(section), SECRETS.aws_bearer_token);
  });
});

describe("maskSecret", () => {
  it.each([
    ["", "****"],
    ["abc", "****"],
    ["elevenchars", "****"],
    ["twelve-chars", "****hars"],
  ])("%j -> %j", (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
