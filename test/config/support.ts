/** Helpers shared by the configuration tests. */
import { type BedrockLLMConfig, parseConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";

/** An environment with nothing in it, and an AWS config file that does not exist (the machine's is never read). */
export const NO_ENV: Record<string, string> = { AWS_CONFIG_FILE: "/nonexistent/bedrock-llm-test/aws-config" };

export const MODEL = "bedrock/anthropic.claude-3-haiku-20240307-v1:0";

/** A minimal valid [llm] section. */
export const BASE = `[llm]\nmodel = "${MODEL}"\naws_region_name = "us-east-1"\n`;

export function load(toml: string, env: Record<string, string | undefined> = NO_ENV): BedrockLLMConfig {
  return parseConfig(toml, "test.toml", { env });
}

/** The ConfigError `fn` throws (fails the test when it throws nothing or something else). */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

/** 1-based line of the first line of `text` that starts with `prefix`. */
export function lineOf(text: string, prefix: string): number {
  const index = text.split("\n").findIndex((line) => line.trimStart().startsWith(prefix));
  if (index < 0) throw new Error(`no line starts with ${prefix}`);
  return index + 1;
}
