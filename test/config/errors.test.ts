import { tmpdir } from "node:os";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { BASE, configError, lineOf, load, NO_ENV } from "./support.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const KEYS = `aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"\naws_secret_access_key = "${SECRET}"\n`;
const SONNET_45 = 'model = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"\ncross_region_target = "us"\n';

describe("unknown keys and sections", () => {
  it.each([
    ["aws_region", "aws_region_name"],
    ["temprature", "temperature"],
    ["aws_secret_key", "aws_secret_access_key"],
    ["cross_region", "cross_region_target"],
    ["max_tokens", "max_output_tokens"],
    ["thinking_budget", "thinking_budget_tokens"],
  ])("suggests the closest key for %s", (typo, suggestion) => {
    const text = `${BASE}${typo} = 1\n`;
    const error = configError(() => load(text));
    expect(error.message).toBe(
      `test.toml:${lineOf(text, `${typo} =`)}: llm.${typo} is not a known key: did you mean ${suggestion}?`,
    );
    expect(error.key).toBe(`llm.${typo}`);
  });

  it("lists the known keys when nothing is close", () => {
    expect(configError(() => load(`${BASE}zzzzzzzzzz = 1\n`)).message).toContain(
      "known keys are: model, aws_access_key_id",
    );
  });

  it("refuses unknown keys in named sections and [server]", () => {
    expect(configError(() => load(`${BASE}\n[llm.x]\ntop_k = 3\n`)).key).toBe("llm.x.top_k");
    const error = configError(() => load(`${BASE}\n[server]\nprot = 1\n`));
    expect(error.message).toContain("server.prot is not a known key: did you mean port?");
  });

  it("refuses unknown top-level sections", () => {
    const text = `${BASE}\n[lm]\nx = 1\n`;
    const error = configError(() => load(text));
    expect(error.message).toBe(`test.toml:${lineOf(text, "[lm]")}: [lm] is not a known section: did you mean llm?`);
  });
});

describe("TOML syntax errors", () => {
  it("keep the parser's line and column", () => {
    const error = configError(() => load(`${BASE}temperature = = 1\n`));
    expect(error.message).toMatch(/^test\.toml:4:\d+: TOML syntax error: /);
    expect(error.line).toBe(4);
  });

  it("never quote the offending line, which may hold a secret", () => {
    const error = configError(() => load(`${BASE}aws_secret_access_key = "${SECRET}" oops\n`));
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("EXAMPLEKEY");
    // Nor through an attached cause, which console.error / util.inspect print in full.
    expect(inspect(error, { depth: 5 })).not.toContain("EXAMPLEKEY");
  });
});

describe("impossible combinations", () => {
  it.each([
    ['aws_session_name = "s1"\n', "aws_session_name", "is set without aws_role_name"],
    [`aws_secret_access_key = "${SECRET}"\n`, "aws_secret_access_key", "is set without aws_access_key_id"],
    ['aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"\n', "aws_access_key_id", "is set without aws_secret_access_key"],
    ['aws_session_token = "IQoJtokenEXAMPLEtoken"\n', "aws_session_token", "temporary credentials need all three"],
    ['aws_web_identity_token = "/var/run/token"\n', "aws_web_identity_token", "is set without aws_role_name"],
    [
      `${KEYS}aws_profile_name = "dev"\n`,
      "aws_profile_name",
      "sets more than one credential source (aws_access_key_id, aws_profile_name)",
    ],
    [
      'aws_bearer_token = "bedrock-api-key-EXAMPLE-0001"\naws_role_name = "arn:aws:iam::123456789012:role/r"\n',
      "aws_role_name",
      "a Bedrock API key cannot assume a role",
    ],
    ["retry_min_wait = 10\nretry_max_wait = 5\n", "retry_min_wait", "retry_min_wait = 10 is above retry_max_wait = 5"],
    [
      'cross_region_target = "eu"\n',
      "cross_region_target",
      'aws_region_name us-east-1 is not a source region of "eu" profiles',
    ],
    [
      `${SONNET_45}max_output_tokens = 2000\nthinking_budget_tokens = 2000\n`,
      "thinking_budget_tokens",
      "must be below max_output_tokens = 2000",
    ],
    [
      `${SONNET_45}thinking_budget_tokens = 64000\n`,
      "thinking_budget_tokens",
      "must be below the model's 64000 output tokens",
    ],
    [
      `${SONNET_45}thinking_budget_tokens = 2048\ntemperature = 0.5\n`,
      "temperature",
      "cannot be combined with thinking_budget_tokens",
    ],
    [
      'model = "bedrock/anthropic.claude-opus-4-7"\ncross_region_target = "us"\nthinking_budget_tokens = 2048\n',
      "thinking_budget_tokens",
      "only accepts adaptive thinking",
    ],
    ["thinking_budget_tokens = 2048\n", "thinking_budget_tokens", "has no extended thinking"],
  ])("refuses %j", (lines, key, fragment) => {
    const text = `[llm]\naws_region_name = "us-east-1"\n${lines.includes("model =") ? "" : 'model = "bedrock/anthropic.claude-3-haiku-20240307-v1:0"\n'}${lines}`;
    const error = configError(() => load(text));
    expect(error.message).toContain(fragment);
    expect(error.key).toBe(`llm.${key}`);
    expect(error.line).toBe(lineOf(text, `${key} =`));
    expect(error.message).not.toContain(SECRET);
  });

  it("refuses a model prefix that contradicts the target", () => {
    const text =
      '[llm]\naws_region_name = "eu-west-1"\nmodel = "bedrock/eu.anthropic.claude-3-7-sonnet-20250219-v1:0"\ncross_region_target = "us"\n';
    const error = configError(() => load(text));
    expect(error.message).toContain('contradicts the model\'s own profile prefix "eu."');
    expect(error.line).toBe(4);
  });

  it("refuses a section without a model", () => {
    const error = configError(() => load('[llm]\naws_region_name = "us-east-1"\n'));
    expect(error.message).toContain('llm has no model: add model = "bedrock/<model id>"');
    expect(error.line).toBe(1);
  });

  it("never puts a secret in a message", () => {
    for (const secretKey of [
      "aws_secret_access_key",
      "aws_session_token",
      "aws_bearer_token",
      "aws_web_identity_token",
    ]) {
      const error = configError(() => load(`${BASE}${secretKey} = ["${SECRET}"]\n`));
      expect(error.message).not.toContain(SECRET);
      expect(error.message).toContain("has the wrong type (a list)");
    }
  });
});

describe("loadConfig", () => {
  it("names a missing file", async () => {
    await expect(loadConfig("/nonexistent/bedrock.toml", { env: NO_ENV })).rejects.toThrow(
      "/nonexistent/bedrock.toml: cannot read the configuration file (no such file)",
    );
  });

  it("names a directory given as the file, and a missing path", async () => {
    await expect(loadConfig(tmpdir(), { env: NO_ENV })).rejects.toThrow("(a directory, not a file)");
    await expect(loadConfig(undefined as unknown as string)).rejects.toThrow(/loadConfig\(path\) needs the path/);
  });
});
