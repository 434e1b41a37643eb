/** Test helpers for auth: hand-built LLMConfig objects and an isolated AWS environment per test. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { LLMConfig } from "../../src/config/types.js";

export function llmConfig(overrides: Partial<LLMConfig> = {}): LLMConfig {
  return {
    model: "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
    section: "llm",
    caching_prompt: false,
    cache_ttl: "1h",
    num_retries: 0,
    retry_min_wait: 1,
    retry_max_wait: 2,
    retry_multiplier: 2,
    timeout: 30,
    log_completions: false,
    log_completions_folder: "logs",
    ...overrides,
  };
}

export interface IsolatedEnv {
  /** A fresh HOME for this test, removed afterwards. */
  home: string;
}

/**
 * Before each test: every AWS_* variable removed, HOME pointed at an empty temporary directory (so the real
 * ~/.aws is never read) and instance metadata disabled (so the default chain fails fast). After: all restored.
 */
export function isolateAwsEnv(): IsolatedEnv {
  const isolated: IsolatedEnv = { home: "" };
  let saved: NodeJS.ProcessEnv = {};
  beforeEach(() => {
    saved = { ...process.env };
    for (const key of Object.keys(process.env)) {
      // Keep vitest.config.ts's silencer of the SDK's Node version warning: it chooses nothing about credentials.
      if (key.startsWith("AWS_") && key !== "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED") delete process.env[key];
    }
    isolated.home = mkdtempSync(join(tmpdir(), "bedrock-llm-auth-"));
    process.env.HOME = isolated.home;
    process.env.USERPROFILE = isolated.home;
    process.env.AWS_EC2_METADATA_DISABLED = "true";
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) {
      if (!(key in saved)) delete process.env[key];
    }
    Object.assign(process.env, saved);
    rmSync(isolated.home, { recursive: true, force: true });
  });
  return isolated;
}
