import { describe, expect, it } from "vitest";
import { LLM_KEYS, SERVER_KEYS } from "../../src/config/index.js";
import { BASE, configError, lineOf, load, MODEL } from "./support.js";

interface KeyCase {
  key: string;
  good: string[];
  bad: [literal: string, fragment: string][];
  /** Lines the key needs beside it (e.g. a thinking model for a budget). */
  extra?: string;
  /** [llm.NAME] sections the file needs after [llm] (sections the key names). */
  sections?: string;
  section?: "llm" | "server";
}

const ROLE = 'aws_role_name = "arn:aws:iam::123456789012:role/r"';
const THINKING_MODEL = 'model = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"\ncross_region_target = "us"';

const CASES: KeyCase[] = [
  {
    key: "model",
    good: [
      '"bedrock/amazon.nova-pro-v1:0"',
      '"amazon.titan-text-express-v1"',
      '"us.anthropic.claude-3-haiku-20240307-v1:0"',
    ],
    bad: [
      ['"openai/gpt-4o"', 'names the "openai" provider, but bedrock-llm only calls Amazon Bedrock'],
      ['"gpt-4"', "is ambiguous"],
      ["42", "has the wrong type (a number)"],
      ['"bedrock/"', "names no model"],
    ],
  },
  {
    key: "aws_region_name",
    good: ['"eu-west-1"', '"ap-southeast-2"'],
    bad: [
      ['"useast1"', 'is not allowed: must be an AWS region name such as "us-east-1"'],
      ["1", "has the wrong type"],
    ],
  },
  {
    key: "temperature",
    good: ["0", "0.5", "1"],
    bad: [
      ["1.5", "is out of range: must be between 0 and 1"],
      ["-0.1", "out of range"],
      ['"hot"', "wrong type (a string)"],
    ],
  },
  {
    key: "top_p",
    good: ["0", "0.9", "1"],
    bad: [
      ["2", "out of range: must be between 0 and 1"],
      ["true", "wrong type (a boolean)"],
    ],
  },
  {
    key: "max_output_tokens",
    good: ["1", "4096"],
    bad: [
      ["0", "out of range"],
      ["1.5", "not allowed: must be a whole number"],
      ['"100"', "wrong type"],
    ],
  },
  { key: "caching_prompt", good: ["true", "false"], bad: [['"yes"', "wrong type (a string): must be true or false"]] },
  { key: "cache_ttl", good: ['"5m"', '"1h"'], bad: [['"2h"', 'is not allowed: must be one of "5m", "1h"']] },
  {
    key: "num_retries",
    good: ["0", "20"],
    bad: [
      ["21", "out of range: must be a whole number between 0 and 20"],
      ["-1", "out of range"],
      ["2.5", "not allowed"],
    ],
  },
  { key: "retry_min_wait", good: ["0", "0.5"], bad: [["-1", "out of range"]] },
  { key: "retry_max_wait", good: ["60", "120"], bad: [["4000", "out of range"]] },
  { key: "retry_multiplier", good: ["1", "2.5"], bad: [["0.5", "out of range: must be between 1 and 10"]] },
  {
    key: "timeout",
    good: ["30", "0.5"],
    bad: [
      ["0", "out of range"],
      ['"10s"', "wrong type"],
    ],
  },
  {
    key: "reasoning_effort",
    good: ['"low"', '"medium"', '"high"', '"xhigh"', '"max"'],
    bad: [['"extreme"', 'must be one of "low", "medium", "high", "xhigh", "max"']],
  },
  {
    key: "thinking_budget_tokens",
    extra: THINKING_MODEL,
    good: ["1024", "8000"],
    bad: [["1023", "out of range: must be a whole number of tokens >= 1024"]],
  },
  {
    key: "service_tier",
    good: ['"default"', '"flex"', '"priority"'],
    bad: [['"gold"', 'must be one of "default", "flex", "priority"']],
  },
  { key: "latency", good: ['"standard"', '"optimized"'], bad: [['"fast"', 'must be one of "standard", "optimized"']] },
  {
    key: "input_cost_per_token",
    good: ["0", "0.000003"],
    bad: [["-1", "out of range: must be a price in USD per token"]],
  },
  { key: "output_cost_per_token", good: ["0.000015"], bad: [['"cheap"', "wrong type"]] },
  { key: "cache_read_cost_per_token", good: ["0.0000003"], bad: [["-0.5", "out of range"]] },
  { key: "cache_write_cost_per_token", good: ["0.00000375"], bad: [["-2", "out of range"]] },
  { key: "log_completions", good: ["true", "false"], bad: [["1", "wrong type (a number)"]] },
  {
    key: "log_completions_folder",
    good: ['"logs/x"'],
    bad: [
      ['""', "is not allowed"],
      ["3", "wrong type"],
    ],
  },
  {
    key: "base_model",
    good: ['"anthropic.claude-3-haiku-20240307-v1:0"'],
    bad: [['"acme.unknown-v1"', "is not in the model registry"]],
  },
  { key: "aws_role_name", good: ['"arn:aws:iam::123456789012:role/bedrock"'], bad: [["5", "wrong type"]] },
  {
    key: "aws_session_name",
    extra: ROLE,
    good: ['"bedrock-llm"', '"ci@build.42"'],
    bad: [
      ['"a"', "not allowed: must be 2 to 64 characters"],
      ['"has space"', "not allowed"],
    ],
  },
  {
    key: "aws_profile_name",
    good: ['"dev"'],
    bad: [
      ["3", "wrong type"],
      ['""', "not allowed"],
    ],
  },
  {
    key: "aws_bedrock_runtime_endpoint",
    good: ['"http://127.0.0.1:4010"', '"https://vpce.example.com"'],
    bad: [['"localhost:4010"', "must be an http(s) URL"]],
  },
  {
    key: "aws_sts_endpoint",
    good: ['"https://sts.us-east-1.amazonaws.com"'],
    bad: [['"sts"', "must be an http(s) URL"]],
  },
  {
    key: "aws_bedrock_endpoint",
    good: ['"https://bedrock.us-east-1.amazonaws.com"', '"http://127.0.0.1:4010"'],
    bad: [['"bedrock"', "must be an http(s) URL"]],
  },
  {
    key: "request_metadata",
    good: ['{ team = "search", "cost-center" = "cc 42" }', '{ empty = "" }'],
    bad: [
      ['{ "bad!" = "x" }', "is not allowed: must be a table of at most 16 string values"],
      ["{ team = 5 }", "is not allowed"],
      ['"team=search"', "wrong type (a string)"],
    ],
  },
  {
    key: "aws_access_key_id",
    extra: 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    good: ['"AKIAIOSFODNN7EXAMPLE"'],
    bad: [
      ["42", "wrong type (a number)"],
      ['""', "is not allowed"],
    ],
  },
  {
    key: "aws_secret_access_key",
    extra: 'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"',
    good: ['"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'],
    bad: [
      ['["a"]', "wrong type (a list)"],
      ['""', "is not allowed"],
    ],
  },
  {
    key: "aws_session_token",
    extra:
      'aws_access_key_id = "ASIAIOSFODNN7EXAMPLE"\naws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    good: ['"FwoGZXIvYXdzEXAMPLETOKEN"'],
    bad: [["5", "wrong type (a number)"]],
  },
  { key: "aws_bearer_token", good: ['"bedrock-api-key-ABCDEFGHIJKLMNOP"'], bad: [["12345", "wrong type (a number)"]] },
  {
    key: "aws_web_identity_token",
    extra: ROLE,
    good: ['"/var/run/token"', '"eyJhbGciOi.eyJzdWIi.sig"'],
    bad: [["true", "wrong type"]],
  },
  {
    key: "cross_region_target",
    extra: 'model = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"',
    good: ['"us"', '"global"'],
    bad: [['"mars"', 'must be one of "us", "eu", "apac", "us-gov", "global"']],
  },
  {
    key: "guardrail_config",
    good: [
      '{ guardrailIdentifier = "g1", guardrailVersion = "DRAFT" }',
      '{ guardrailIdentifier = "g1", guardrailVersion = "3", trace = "enabled_full", streamProcessingMode = "async", raise_on_intervention = true }',
    ],
    bad: [
      [
        '{ guardrailIdentifier = "g1" }',
        'llm.guardrail_config is missing guardrailVersion: add guardrailVersion = <a version number such as "1", or "DRAFT">',
      ],
      ['{ guardrailVersion = "1" }', "is missing guardrailIdentifier"],
      [
        '{ guardrailIdentifier = "g1", guardrailVersion = "1", trce = "enabled" }',
        "llm.guardrail_config.trce is not a known key: did you mean trace?",
      ],
      [
        '{ guardrailIdentifier = "g1", guardrailVersion = "1", trace = "verbose" }',
        'llm.guardrail_config.trace = "verbose" is not allowed',
      ],
      [
        '{ guardrailIdentifier = "g1", guardrailVersion = "latest" }',
        'must be a version number such as "1", or "DRAFT"',
      ],
      ['"g1"', "has the wrong type (a string)"],
    ],
  },
  {
    key: "capabilities",
    good: ['{ tools = true, thinking = "manual", cache_min_tokens = 2048 }'],
    bad: [
      ["{ tool = true }", "llm.capabilities.tool is not a known key: did you mean tools?"],
      ['{ thinking = "deep" }', 'llm.capabilities.thinking = "deep" is not allowed'],
    ],
  },
  {
    key: "fallbacks",
    good: ['["backup"]', '["backup", "east"]'],
    bad: [
      ['["nowhere"]', 'names "nowhere", which is not a section of this file'],
      ['["llm"]', "come back to where they started"],
      ['"backup"', "wrong type (a string)"],
    ],
    sections: '[llm.backup]\naws_region_name = "us-west-2"\n[llm.east]\n',
  },
  {
    key: "deployments",
    good: ['["east", "backup"]', '["llm", "east"]'],
    bad: [
      ['["east", "east"]', "must be a list of distinct section names"],
      ["[]", "is not allowed"],
      ['["north"]', 'names "north"'],
    ],
    sections: '[llm.backup]\naws_region_name = "us-west-2"\n[llm.east]\n',
  },
  {
    key: "routing_strategy",
    good: ['"least-in-flight"', '"weighted"'],
    bad: [['"random"', 'must be one of "least-in-flight", "weighted"']],
  },
  {
    key: "weight",
    good: ["1", "0.5", "10"],
    bad: [
      ["0", "out of range"],
      ['"1"', "wrong type"],
    ],
  },
  {
    key: "cooldown_seconds",
    good: ["0.5", "30"],
    bad: [
      ["0", "out of range"],
      ["4000", "out of range"],
    ],
  },
  { key: "cooldown_max_seconds", good: ["60", "600"], bad: [["-1", "out of range"]] },
  { key: "stream_recovery", good: ["true", "false"], bad: [['"on"', "wrong type (a string)"]] },
  { key: "ping_interval", good: ["0.2", "30"], bad: [["0", "out of range: must be above 0"]] },
  { key: "ping_timeout", good: ["1"], bad: [["601", "out of range"]] },
  { key: "host", section: "server", good: ['"0.0.0.0"'], bad: [["1", "wrong type"]] },
  {
    key: "port",
    section: "server",
    good: ["0", "65535"],
    bad: [["70000", "out of range: must be a port number between 0 and 65535"]],
  },
  {
    key: "api_keys",
    section: "server",
    good: ["[]", '["k-1", "k-2"]'],
    bad: [
      ['"k-1"', "wrong type (a string)"],
      ['[""]', "is not allowed"],
    ],
  },
  { key: "max_body_bytes", section: "server", good: ["1024", "10485760"], bad: [["10", "out of range"]] },
  { key: "max_concurrency", section: "server", good: ["1"], bad: [["0", "out of range"]] },
  { key: "max_queue", section: "server", good: ["0", "1000"], bad: [["-1", "out of range"]] },
  { key: "responses_ttl", section: "server", good: ["1", "86400"], bad: [["0", "out of range"]] },
  { key: "responses_max_bytes", section: "server", good: ["0", "1048576"], bad: [["-1", "out of range"]] },
  {
    key: "model_aliases",
    section: "server",
    good: ['{ "claude-sonnet-4-5" = "default", opus = "bedrock/anthropic.claude-opus-4-8" }'],
    bad: [
      ['"default"', "wrong type (a string)"],
      ["{ sonnet = 1 }", "is not allowed"],
    ],
  },
  {
    key: "admin_key_sha256",
    section: "server",
    good: ['"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'],
    bad: [['"not-a-hash"', "is not allowed: must be the admin key's SHA-256"]],
  },
  {
    key: "keys",
    section: "server",
    good: [
      '{ alice = { key_sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", models = ["default"], rpm = 60, tpm = 10000, budget_usd = 5, budget_period = "30d", expires = "2030-01-01T00:00:00Z", metadata = { team = "search" } } }',
    ],
    bad: [
      ["{ alice = { rpm = 60 } }", "server.keys.alice is missing key_sha256"],
      [
        '{ alice = { key_sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", budget_period = "fortnight" } }',
        'server.keys.alice.budget_period = "fortnight" is not allowed',
      ],
      [
        '{ alice = { key_sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", rmp = 1 } }',
        "server.keys.alice.rmp is not a known key",
      ],
    ],
  },
  {
    key: "limits",
    section: "server",
    good: ["{ llm = { rpm = 100, tpm = 200000 } }"],
    bad: [["{ llm = { rpm = 0 } }", "server.limits.llm.rpm = 0 is out of range"]],
  },
  {
    key: "store",
    section: "server",
    good: ['{ url = "redis://127.0.0.1:6379", password = "secret-password", on_store_failure = "closed" }'],
    bad: [
      ['{ url = "http://127.0.0.1:6379" }', "server.store.url"],
      ['{ on_store_failure = "maybe" }', 'server.store.on_store_failure = "maybe" is not allowed'],
    ],
  },
];

/** [llm] with the base model and region, unless `extra` or the key under test sets them. */
function fileWith({ key, extra, section, sections = "" }: KeyCase, literal: string): string {
  if (section === "server") return `${BASE}\n[server]\n${key} = ${literal}\n`;
  const lines = new Map<string, string>([
    ["model", `model = "${MODEL}"`],
    ["aws_region_name", 'aws_region_name = "us-east-1"'],
  ]);
  for (const line of extra?.split("\n") ?? []) lines.set(line.split(" = ")[0] as string, line);
  lines.set(key, `${key} = ${literal}`);
  return `[llm]\n${[...lines.values()].join("\n")}\n${sections}`;
}

describe.each(CASES)("$key", (testCase) => {
  it.each(testCase.good)("accepts %s", (literal) => {
    const config = load(fileWith(testCase, literal));
    const value =
      testCase.section === "server"
        ? config.server[testCase.key as keyof typeof config.server]
        : config.llm[testCase.key as keyof typeof config.llm];
    expect(value).toBeDefined();
  });

  it.each(testCase.bad)("refuses %s", (literal, fragment) => {
    const text = fileWith(testCase, literal);
    const error = configError(() => load(text));
    const section = testCase.section ?? "llm";
    expect(error.message).toContain(fragment);
    expect(error.file).toBe("test.toml");
    expect(error.line).toBe(lineOf(text, `${testCase.key} =`));
    expect(error.key?.startsWith(`${section}.${testCase.key}`)).toBe(true);
    expect(error.message.startsWith(`test.toml:${error.line}: `)).toBe(true);
  });
});

describe("key coverage", () => {
  it("has good and bad values for every [llm] and [server] key", () => {
    const covered = (section: "llm" | "server") =>
      CASES.filter((c) => (c.section ?? "llm") === section && c.good.length > 0 && c.bad.length > 0).map((c) => c.key);
    expect(Object.keys(LLM_KEYS).filter((key) => !covered("llm").includes(key))).toEqual([]);
    expect(Object.keys(SERVER_KEYS).filter((key) => !covered("server").includes(key))).toEqual([]);
  });
});

describe("defaults", () => {
  it("fills every default of [llm] and [server]", () => {
    const config = load(BASE);
    expect(config.llm).toMatchObject({
      caching_prompt: false,
      cache_ttl: "1h",
      num_retries: 5,
      retry_min_wait: 1,
      retry_max_wait: 60,
      retry_multiplier: 2,
      timeout: 600,
      log_completions: false,
      log_completions_folder: "logs/completions",
      section: "llm",
    });
    expect(config.server).toEqual({
      host: "127.0.0.1",
      port: 8080,
      api_keys: [],
      max_body_bytes: 1_048_576,
      max_concurrency: 64,
      max_queue: 256,
      responses_ttl: 2_592_000,
      responses_max_bytes: 67_108_864,
      model_aliases: {},
      keys: {},
      limits: {},
      store: {
        key_prefix: "bedrock-llm:",
        path: "bedrock-llm-gateway.sqlite",
        on_store_failure: "open",
        early_send: true,
      },
    });
    expect(config.llm.provenance?.timeout).toBe("default");
    expect(config.llm.provenance?.model).toBe("file");
  });

  it("normalises a bare Bedrock id to bedrock/<id>", () => {
    expect(load(BASE.replace("bedrock/anthropic", "anthropic")).llm.model).toBe(
      "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
    );
    const arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1";
    expect(load(`[llm]\nmodel = "${arn}"\naws_region_name = "us-east-1"\n`).llm.model).toBe(`bedrock/${arn}`);
  });
});
