/**
 * aws_web_identity_token is the token itself or the path of a file holding it (docs/AUTH.md). Opaque OAuth tokens
 * may contain "/": such a token must be used inline, and never appear in messages, redact() or `check` output.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect } from "vitest";
import { getCallerIdentity, resolveAuth } from "../../src/auth/index.js";
import { parseConfig, redact } from "../../src/config/index.js";
import { webIdentityTokenFile } from "../../src/config/web-identity-token.js";
import { CredentialsError } from "../../src/errors.js";
import { runCli } from "../cli/run-cli.js";
import { it } from "../support/fixtures.js";
import { converse, REGION, ROLE_ARN, type RunningEmulator } from "./emulator-helpers.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";

/** Distinctive, with "/" and "+" as opaque (non-JWT) OAuth tokens may have; not shaped like a path. */
const OPAQUE_TOKEN = "gho-Qz8v/Lw3Nk5+Jd7Rt1/Xp6Ym2Hs4Fb0=";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";

/** No 6-character piece of the token appears in `text` (redaction may keep its last 4 characters). */
function expectNoLeak(text: string, token = OPAQUE_TOKEN): void {
  const hidden = token.slice(0, -4);
  for (let start = 0; start + 6 <= hidden.length; start++) {
    expect(text).not.toContain(hidden.slice(start, start + 6));
  }
}

describe("webIdentityTokenFile: token or file", () => {
  const env = isolateAwsEnv();

  it.each([
    ["a JWT", JWT],
    ["an opaque token with '/' and '+'", OPAQUE_TOKEN],
    ["a token starting with '~' but no path separator", "~tok3n.value"],
    ["a relative path that does not exist", "no-such-dir/token"],
  ])("%s is the token", (_what, value) => {
    expect(webIdentityTokenFile(value)).toBeUndefined();
  });

  it.each([
    ["an absolute path, even missing", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"],
    ["a ./ path", "./token"],
    ["a ../ path", "../secrets/token"],
    ["a Windows drive path", "C:\\tokens\\oidc"],
    ["a UNC path", "\\\\server\\share\\token"],
  ])("%s is a file", (_what, value) => {
    expect(webIdentityTokenFile(value)).toBe(value);
  });

  it("expands ~/ to the home directory", () => {
    expect(webIdentityTokenFile("~/tokens/oidc")).toBe(join(env.home, "tokens", "oidc"));
  });

  it("takes an existing relative file for a file, and the same value without the file for the token", () => {
    mkdirSync(join(env.home, "secrets"));
    writeFileSync(join(env.home, "secrets", "token"), JWT);
    const cwd = process.cwd();
    process.chdir(env.home);
    try {
      expect(webIdentityTokenFile("secrets/token")).toBe("secrets/token");
      expect(webIdentityTokenFile("secrets/other")).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("an opaque web identity token containing '/'", () => {
  isolateAwsEnv();

  function opaqueConfig(emulator: RunningEmulator) {
    return llmConfig({
      aws_region_name: REGION,
      aws_bedrock_runtime_endpoint: emulator.url,
      aws_sts_endpoint: emulator.url,
      aws_role_name: ROLE_ARN,
      aws_web_identity_token: OPAQUE_TOKEN,
    });
  }

  it("is used inline: resolved as a token, not a file, and described without its value", ({ emulator }) => {
    const auth = resolveAuth(opaqueConfig(emulator));
    expect(auth.method).toBe("web-identity");
    expect(auth.details?.webIdentityTokenFile).toBeUndefined();
    expect(auth.description).toContain("from aws_web_identity_token");
    expectNoLeak(auth.description);
    expectNoLeak(JSON.stringify(auth.details));
  });

  it("reaches STS inline, and the refusal names the setting, never the token", async ({ emulator }) => {
    const config = opaqueConfig(emulator);
    const auth = resolveAuth(config);
    const error = await converse(config, auth).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CredentialsError);
    const credentialsError = error as CredentialsError;
    expect(credentialsError.method).toBe("web-identity");
    // STS judged the token itself (the emulator, like STS, wants a JWT): it was not read as a file.
    expect(credentialsError.message).toMatch(/InvalidIdentityToken/);
    expect(credentialsError.message).not.toMatch(/token file|ENOENT/);
    expect(credentialsError.message).toContain("aws_web_identity_token");
    expectNoLeak(credentialsError.message);
    expectNoLeak(inspect(credentialsError, { depth: 5 }));

    const identityError = await getCallerIdentity(config, auth).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(identityError).toBeInstanceOf(CredentialsError);
    expectNoLeak((identityError as Error).message);
    expectNoLeak(inspect(identityError, { depth: 5 }));
  });

  it("is hidden by redact(), which decides token-or-file by the same rule", () => {
    const text = `[llm]
model = "bedrock/anthropic.claude-3-haiku-20240307-v1:0"
aws_region_name = "${REGION}"
aws_role_name = "${ROLE_ARN}"
aws_web_identity_token = "${OPAQUE_TOKEN}"
`;
    const config = parseConfig(text, "test.toml", { env: {} });
    const redacted = redact(config);
    expect(redacted.llm.aws_web_identity_token).toBe(`****${OPAQUE_TOKEN.slice(-4)}`);
    expectNoLeak(JSON.stringify(redacted));
    expectNoLeak(inspect(redacted, { depth: 10 }));
  });
});

describe("bedrock-llm check with an opaque web identity token containing '/'", () => {
  let configPath: string;
  it.beforeAll(({ emulator }) => {
    configPath = join(mkdtempSync(join(tmpdir(), "bedrock-llm-oidc-")), "config.toml");
    writeFileSync(
      configPath,
      `[llm]
model = "bedrock/anthropic.claude-3-haiku-20240307-v1:0"
aws_region_name = "${REGION}"
aws_bedrock_runtime_endpoint = "${emulator.url}"
aws_sts_endpoint = "${emulator.url}"
aws_role_name = "${ROLE_ARN}"
aws_web_identity_token = "${OPAQUE_TOKEN}"
`,
    );
  });

  it.each([[[]], [["--debug"]]])("prints neither the token nor a piece of it (extra arguments %j)", async (extra) => {
    const result = await runCli(["check", "-c", configPath, ...extra]);
    // The token reaches STS, which refuses it (not a JWT): a credentials failure, exit 1.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("web-identity");
    expect(result.stdout).toContain("from aws_web_identity_token");
    expect(result.stderr).toMatch(/InvalidIdentityToken/);
    expectNoLeak(result.stdout);
    expectNoLeak(result.stderr);
  });
});
