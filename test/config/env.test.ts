import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE, configError, load, MODEL, NO_ENV } from "./support.js";

const env = (vars: Record<string, string>) => ({ ...NO_ENV, ...vars });
const NO_REGION = `[llm]\nmodel = "${MODEL}"\n`;

describe("LLM_* variables", () => {
  it("override [llm], parsed to each key's type", () => {
    const config = load(
      `${BASE}temperature = 0.5\n`,
      env({
        LLM_TEMPERATURE: "0.1",
        LLM_MODEL: "amazon.nova-micro-v1:0",
        LLM_NUM_RETRIES: "2",
        LLM_CACHING_PROMPT: "true",
        LLM_AWS_REGION_NAME: "us-west-2",
        LLM_GUARDRAIL_CONFIG: '{"guardrailIdentifier":"g","guardrailVersion":"2"}',
      }),
    );
    expect(config.llm).toMatchObject({
      temperature: 0.1,
      model: "bedrock/amazon.nova-micro-v1:0",
      num_retries: 2,
      caching_prompt: true,
      aws_region_name: "us-west-2",
      guardrail_config: { guardrailIdentifier: "g", guardrailVersion: "2" },
    });
    expect(config.llm.provenance).toMatchObject({ temperature: "env", model: "env", caching_prompt: "env" });
  });

  it("apply before inheritance: a named section's own value wins", () => {
    const config = load(`${BASE}\n[llm.own]\ntemperature = 0.9\n\n[llm.other]\n`, env({ LLM_TEMPERATURE: "0.2" }));
    expect(config.llms.own?.temperature).toBe(0.9);
    expect(config.llms.other?.temperature).toBe(0.2);
    expect(config.llms.other?.provenance?.temperature).toBe("inherited");
  });

  it.each([
    ["LLM_TEMPERATURE", "hot", 'environment variable LLM_TEMPERATURE (loading test.toml): "hot" is not a number'],
    [
      "LLM_TEMPERATURE",
      "3",
      "environment variable LLM_TEMPERATURE (loading test.toml): llm.temperature = 3 is out of range",
    ],
    ["LLM_CACHING_PROMPT", "maybe", '"maybe" is not a boolean'],
    ["LLM_CACHE_TTL", "2h", 'llm.cache_ttl = "2h" is not allowed'],
    ["LLM_GUARDRAIL_CONFIG", "{", "is not a JSON object"],
    ["LLM_MODEL", "openai/gpt-4o", 'names the "openai" provider'],
  ])("refuse a bad %s=%s naming the variable", (name, value, fragment) => {
    const error = configError(() => load(BASE, env({ [name]: value })));
    expect(error.message).toContain(fragment);
    expect(error.message).toContain(name);
  });
});

describe("AWS_* variables", () => {
  it("fill the region, AWS_REGION before AWS_DEFAULT_REGION", () => {
    expect(load(NO_REGION, env({ AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" })).llm.aws_region_name).toBe(
      "eu-west-1",
    );
    const config = load(NO_REGION, env({ AWS_DEFAULT_REGION: "us-west-2" }));
    expect(config.llm.aws_region_name).toBe("us-west-2");
    expect(config.llm.provenance?.aws_region_name).toBe("env");
  });

  it("are checked like file values, naming the variable", () => {
    const error = configError(() => load(NO_REGION, env({ AWS_REGION: "useast1" })));
    expect(error.message).toContain(
      'environment variable AWS_REGION (loading test.toml): llm.aws_region_name = "useast1" is not allowed',
    );
    const endpoint = configError(() => load(BASE, env({ AWS_ENDPOINT_URL_STS: "sts.local" })));
    expect(endpoint.message).toContain("AWS_ENDPOINT_URL_STS");
  });

  it("never replace what the file sets", () => {
    expect(load(BASE, env({ AWS_REGION: "eu-west-1" })).llm.aws_region_name).toBe("us-east-1");
  });

  it("fill endpoints", () => {
    const config = load(
      BASE,
      env({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "http://127.0.0.1:4010", AWS_ENDPOINT_URL_STS: "http://127.0.0.1:4011" }),
    );
    expect(config.llm).toMatchObject({
      aws_bedrock_runtime_endpoint: "http://127.0.0.1:4010",
      aws_sts_endpoint: "http://127.0.0.1:4011",
    });
  });

  const KEYS = {
    AWS_ACCESS_KEY_ID: "AKIAENVEXAMPLE000000",
    AWS_SECRET_ACCESS_KEY: "envsecretEXAMPLEKEYenvsecret",
    AWS_SESSION_TOKEN: "envtokenEXAMPLE",
  };

  it("fill credentials in a section that chose none", () => {
    const config = load(BASE, env(KEYS));
    expect(config.llm).toMatchObject({
      aws_access_key_id: KEYS.AWS_ACCESS_KEY_ID,
      aws_secret_access_key: KEYS.AWS_SECRET_ACCESS_KEY,
      aws_session_token: KEYS.AWS_SESSION_TOKEN,
    });
    expect(config.llm.provenance?.aws_access_key_id).toBe("env");
  });

  it("never override the credential source a section chose", () => {
    const text = `${BASE}\n[llm.sso]\naws_profile_name = "team"\n\n[llm.apikey]\naws_bearer_token = "file-bearer-token-EXAMPLE-123"\n`;
    const config = load(
      text,
      env({ ...KEYS, AWS_PROFILE: "other", AWS_BEARER_TOKEN_BEDROCK: "env-bearer-token-EXAMPLE" }),
    );
    expect(config.llms.sso?.aws_profile_name).toBe("team");
    expect(config.llms.sso?.aws_access_key_id).toBeUndefined();
    expect(config.llms.sso?.aws_bearer_token).toBeUndefined();
    expect(config.llms.apikey?.aws_bearer_token).toBe("file-bearer-token-EXAMPLE-123");
    expect(config.llms.apikey?.aws_access_key_id).toBeUndefined();
  });

  it("fill one source only: the Bedrock API key first, then keys, then the profile", () => {
    const all = { ...KEYS, AWS_PROFILE: "p", AWS_BEARER_TOKEN_BEDROCK: "env-bearer-token-EXAMPLE" };
    expect(load(BASE, env(all)).llm).toMatchObject({ aws_bearer_token: all.AWS_BEARER_TOKEN_BEDROCK });
    expect(load(BASE, env(all)).llm.aws_access_key_id).toBeUndefined();
    const { AWS_BEARER_TOKEN_BEDROCK: _b, ...noBearer } = all;
    expect(load(BASE, env(noBearer)).llm.aws_access_key_id).toBe(KEYS.AWS_ACCESS_KEY_ID);
    expect(load(BASE, env(noBearer)).llm.aws_profile_name).toBeUndefined();
    expect(load(BASE, env({ AWS_PROFILE: "p" })).llm.aws_profile_name).toBe("p");
  });

  it("give a role section base keys but never a Bedrock API key", () => {
    const text = `${BASE}aws_role_name = "arn:aws:iam::123456789012:role/r"\n`;
    const config = load(text, env({ ...KEYS, AWS_BEARER_TOKEN_BEDROCK: "env-bearer-token-EXAMPLE" }));
    expect(config.llm.aws_bearer_token).toBeUndefined();
    expect(config.llm.aws_access_key_id).toBe(KEYS.AWS_ACCESS_KEY_ID);
  });
});

describe("region lookup", () => {
  function awsConfig(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), "bedrock-llm-config-"));
    const path = join(dir, "config");
    writeFileSync(path, text);
    return path;
  }

  it("uses the chosen profile's region from the AWS config file", () => {
    const file = awsConfig("[default]\nregion = us-west-2\n\n[profile team]\n# comment\nregion = eu-central-1\n");
    const config = load(`${NO_REGION}\n[llm.team]\naws_profile_name = "team"\n`, { AWS_CONFIG_FILE: file });
    expect(config.llm.aws_region_name).toBe("us-west-2");
    expect(config.llms.team?.aws_region_name).toBe("eu-central-1");
    expect(config.llms.team?.provenance?.aws_region_name).toBe("aws-config");
  });

  it("refuses a malformed region in the AWS config file, naming the file and profile", () => {
    const file = awsConfig("[default]\nregion = useast1\n");
    const error = configError(() => load(NO_REGION, { AWS_CONFIG_FILE: file }));
    expect(error.message).toBe(
      `${file}: profile "default" (used by [llm], which sets no aws_region_name): region = "useast1" is not allowed: must be an AWS region name such as "us-east-1"`,
    );
    expect(error.key).toBe("llm.aws_region_name");
  });

  it("follows AWS_PROFILE to its region", () => {
    const file = awsConfig("[profile ci]\nregion = ap-south-1\n");
    expect(load(NO_REGION, { AWS_CONFIG_FILE: file, AWS_PROFILE: "ci" }).llm.aws_region_name).toBe("ap-south-1");
  });

  it("refuses a missing region, listing every place it looked", () => {
    const error = configError(() => load(NO_REGION));
    expect(error.key).toBe("llm.aws_region_name");
    expect(error.line).toBe(1);
    for (const place of [
      "aws_region_name in [llm]",
      "LLM_AWS_REGION_NAME",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      'profile "default"',
      NO_ENV.AWS_CONFIG_FILE as string,
    ]) {
      expect(error.message).toContain(place);
    }
  });

  it("explains a role that cannot reach STS", () => {
    const error = configError(() => load(`${NO_REGION}aws_role_name = "arn:aws:iam::123456789012:role/r"\n`));
    expect(error.message).toContain(
      "aws_role_name is set but STS cannot be reached: no region and no aws_sts_endpoint",
    );
    expect(error.key).toBe("llm.aws_role_name");
  });
});

describe("credential sources: one list for inheritance, the AWS_* fill and the checks", () => {
  const KEYS = { AWS_ACCESS_KEY_ID: "AKIAENVEXAMPLE000000", AWS_SECRET_ACCESS_KEY: "envsecretEXAMPLEKEYenvsecret" };

  it("a session token in the file is never paired with access keys from the environment", () => {
    const text = `${BASE}aws_session_token = "IQoJfileTokenEXAMPLEtoken"\n`;
    const error = configError(() => load(text, env(KEYS)));
    expect(error.key).toBe("llm.aws_session_token");
    expect(error.message).toContain("temporary credentials need all three");
    expect(error.message).not.toContain(KEYS.AWS_SECRET_ACCESS_KEY);
  });

  it("a named section that sets only a session token inherits no keys from [llm]", () => {
    const text = `${BASE}aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"\naws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n\n[llm.temp]\naws_session_token = "IQoJfileTokenEXAMPLEtoken"\n`;
    const error = configError(() => load(text, env(KEYS)));
    expect(error.key).toBe("llm.temp.aws_session_token");
    expect(error.message).toContain("temporary credentials need all three");
  });
});

describe("notices about ignored AWS_* credential variables", () => {
  const SECRET = "envsecretEXAMPLEKEYenvsecret";

  it("name the variable and the key that chose the credentials", () => {
    const config = load(`${BASE}aws_profile_name = "team"\n`, env({ AWS_PROFILE: "dev" }));
    expect(config.llm.aws_profile_name).toBe("team");
    expect(config.notices).toEqual([
      "environment variable AWS_PROFILE is ignored by [llm]: credentials come from aws_profile_name in the configuration, which AWS_* variables never override",
    ]);
  });

  it("list every ignored variable and every section once, never a value", () => {
    const text = `${BASE}aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"\naws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n\n[llm.other]\ntemperature = 0\n\n[llm.sso]\naws_profile_name = "team"\n`;
    const config = load(
      text,
      env({ AWS_ACCESS_KEY_ID: "AKIAENVEXAMPLE000000", AWS_SECRET_ACCESS_KEY: SECRET, AWS_PROFILE: "dev" }),
    );
    expect(config.notices).toHaveLength(2);
    expect(config.notices?.[0]).toMatch(
      /^environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE are ignored by \[llm\], \[llm\.other\]: credentials come from aws_access_key_id/,
    );
    expect(config.notices?.[1]).toMatch(
      /AWS_SECRET_ACCESS_KEY, AWS_PROFILE are ignored by \[llm\.sso\]: .*aws_profile_name/,
    );
    expect(JSON.stringify(config.notices)).not.toContain(SECRET);
    expect(JSON.stringify(config.notices)).not.toContain("AKIAENV");
  });

  it("say why a role section ignores a Bedrock API key", () => {
    const text = `${BASE}aws_role_name = "arn:aws:iam::123456789012:role/r"\n`;
    const config = load(text, env({ AWS_BEARER_TOKEN_BEDROCK: "env-bearer-token-EXAMPLE" }));
    expect(config.notices).toEqual([
      "environment variable AWS_BEARER_TOKEN_BEDROCK is ignored by [llm]: aws_role_name is set, and a Bedrock API key cannot assume a role",
    ]);
  });

  it("stay silent when nothing is ignored, or the variable says what the file says", () => {
    expect(load(BASE, env({ AWS_PROFILE: "dev" })).notices).toEqual([]);
    expect(load(`${BASE}aws_profile_name = "dev"\n`, env({ AWS_PROFILE: "dev" })).notices).toEqual([]);
    expect(load(`${BASE}aws_profile_name = "dev"\n`, env({ AWS_REGION: "eu-west-1" })).notices).toEqual([]);
  });
});
