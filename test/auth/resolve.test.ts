import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveAuth, sanitizeSessionName } from "../../src/auth/index.js";
import type { LLMConfig } from "../../src/config/types.js";
import { ConfigError, CredentialsError } from "../../src/errors.js";
import { isolateAwsEnv, llmConfig } from "./helpers.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
const API_KEY = "ABSKZXhhbXBsZS1hcGkta2V5";
const ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-caller";

describe("resolveAuth: which method", () => {
  const env = isolateAwsEnv();
  const keys = { aws_access_key_id: "AKIAIOSFODNN7EXAMPLE", aws_secret_access_key: SECRET };
  const region = { aws_region_name: "us-west-2" };

  it("uses explicit keys, with a session token when there is one", async () => {
    const auth = resolveAuth(llmConfig({ ...keys, ...region }));
    expect(auth.method).toBe("static-keys");
    expect(auth.region).toBe("us-west-2");
    expect(await auth.credentials?.()).toMatchObject({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET });
    const session = resolveAuth(llmConfig({ ...keys, ...region, aws_session_token: SESSION_TOKEN }));
    expect(session.method).toBe("session-token");
    expect((await session.credentials?.())?.sessionToken).toBe(SESSION_TOKEN);
  });

  it("assumes aws_role_name from the explicit keys, with a stable default session name", () => {
    const auth = resolveAuth(llmConfig({ ...keys, ...region, section: "my agent", aws_role_name: "bedrock-caller" }));
    expect(auth.method).toBe("role");
    expect(auth.details).toMatchObject({
      role: "bedrock-caller",
      baseMethod: "static-keys",
      roleSessionName: "bedrock-llm-my-agent",
    });
    expect(auth.description).toContain("static keys");
    const main = resolveAuth(llmConfig({ ...keys, ...region, aws_role_name: "bedrock-caller" }));
    expect(main.details?.roleSessionName).toBe("bedrock-llm");
  });

  it("takes explicit keys first: with a web identity token as well, the role is assumed from the keys", () => {
    const token = "eyJhbGciOi.eyJzdWIi.sig";
    const withKeys = resolveAuth(
      llmConfig({ ...keys, ...region, aws_role_name: ROLE_ARN, aws_web_identity_token: token }),
    );
    expect(withKeys.method).toBe("role");
    expect(withKeys.details?.baseMethod).toBe("static-keys");

    const inline = resolveAuth(llmConfig({ ...region, aws_role_name: ROLE_ARN, aws_web_identity_token: token }));
    expect(inline.method).toBe("web-identity");
    expect(inline.details?.webIdentityTokenFile).toBeUndefined();
    const fromFile = resolveAuth(
      llmConfig({ ...region, aws_role_name: ROLE_ARN, aws_web_identity_token: "/var/run/secrets/token" }),
    );
    expect(fromFile.details?.webIdentityTokenFile).toBe("/var/run/secrets/token");
  });

  it("refuses a web identity token with a bare role name: the account cannot be learned", () => {
    expect(() =>
      resolveAuth(llmConfig({ ...region, aws_role_name: "bedrock-caller", aws_web_identity_token: "tok.en.x" })),
    ).toThrow(ConfigError);
  });

  it("uses the profile, then the Bedrock API key, then the default chain", () => {
    writeFileSync(join(env.home, "config"), "[profile dev]\nregion = eu-west-1\n");
    process.env.AWS_CONFIG_FILE = join(env.home, "config");
    const profile = resolveAuth(llmConfig({ aws_profile_name: "dev" }));
    expect(profile.method).toBe("profile");
    expect(profile.region).toBe("eu-west-1");

    const bearer = resolveAuth(llmConfig({ ...region, aws_bearer_token: API_KEY }));
    expect(bearer.method).toBe("bearer-token");
    expect(bearer.credentials).toBeUndefined();

    process.env.AWS_BEARER_TOKEN_BEDROCK = API_KEY;
    expect(resolveAuth(llmConfig(region)).method).toBe("bearer-token");
    expect(resolveAuth(llmConfig({ ...keys, ...region })).method).toBe("static-keys");
    delete process.env.AWS_BEARER_TOKEN_BEDROCK;

    expect(resolveAuth(llmConfig(region)).method).toBe("default-chain");
  });

  it("never puts a secret in the description", () => {
    const configs = [
      llmConfig({ ...keys, ...region, aws_session_token: SESSION_TOKEN }),
      llmConfig({ ...region, aws_bearer_token: API_KEY }),
      llmConfig({ ...region, aws_role_name: ROLE_ARN, aws_web_identity_token: "eyJhbGciOi.eyJzdWIi.sig" }),
    ];
    for (const config of configs) {
      const { description } = resolveAuth(config);
      for (const secret of [SECRET, SESSION_TOKEN, API_KEY, "eyJhbGciOi.eyJzdWIi.sig"]) {
        expect(description).not.toContain(secret);
      }
    }
  });

  it("refuses half a key pair, naming the missing key", () => {
    expect(() => resolveAuth(llmConfig({ ...region, aws_access_key_id: "AKIAIOSFODNN7EXAMPLE" }))).toThrow(
      /aws_secret_access_key/,
    );
  });

  it("names the profile and the files looked in when the profile does not exist", () => {
    writeFileSync(join(env.home, "config"), "[profile dev]\nregion = eu-west-1\n[default]\nregion = us-east-1\n");
    process.env.AWS_CONFIG_FILE = join(env.home, "config");
    const error = catchError(() => resolveAuth(llmConfig({ ...region, aws_profile_name: "prod" })));
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).method).toBe("profile");
    expect(error.message).toContain('"prod"');
    expect(error.message).toContain(join(env.home, "config"));
    expect(error.message).toContain(join(env.home, ".aws", "credentials"));
    expect(error.message).toContain("default, dev");
  });
});

describe("resolveAuth: no credentials anywhere", () => {
  isolateAwsEnv();

  it("lists every place looked at", async () => {
    const auth = resolveAuth(llmConfig({ aws_region_name: "us-east-1" }));
    const error = await auth.credentials?.().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).method).toBe("default-chain");
    const message = (error as Error).message;
    for (const place of ["aws_access_key_id", "aws_profile_name", "AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE"]) {
      expect(message).toContain(place);
    }
    expect(message).toMatch(/instance metadata/);
  });
});

describe("resolveAuth: region", () => {
  const env = isolateAwsEnv();

  it("takes aws_region_name, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region", () => {
    process.env.AWS_CONFIG_FILE = join(env.home, "config");
    writeFileSync(process.env.AWS_CONFIG_FILE, "[default]\nregion = ap-south-1 ; comment\n");
    expect(resolveAuth(llmConfig()).region).toBe("ap-south-1");
    process.env.AWS_DEFAULT_REGION = "eu-central-1";
    expect(resolveAuth(llmConfig()).region).toBe("eu-central-1");
    process.env.AWS_REGION = "eu-west-3";
    expect(resolveAuth(llmConfig()).region).toBe("eu-west-3");
    expect(resolveAuth(llmConfig({ aws_region_name: "us-east-2" })).region).toBe("us-east-2");
  });

  it("fails with the places it looked at, never a silent default", () => {
    const error = catchError(() => resolveAuth(llmConfig({ section: "fast" })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/\[llm\.fast\].*aws_region_name, AWS_REGION, AWS_DEFAULT_REGION/);
    expect(error.message).toContain(join(env.home, ".aws", "config"));
  });

  it("calls a hand-built configuration without `section` [llm], not [llm.undefined]", () => {
    const { section: _omitted, ...handBuilt } = llmConfig();
    const error = catchError(() => resolveAuth(handBuilt as LLMConfig));
    expect(error.message).toMatch(/^No AWS region for \[llm\]:/);
  });
});

describe("sanitizeSessionName", () => {
  it("keeps valid names and makes others valid", () => {
    expect(sanitizeSessionName("bedrock-llm-fast")).toBe("bedrock-llm-fast");
    expect(sanitizeSessionName("a b/c")).toBe("a-b-c");
    expect(sanitizeSessionName("x")).toBe("x-");
    expect(sanitizeSessionName("n".repeat(80))).toHaveLength(64);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
