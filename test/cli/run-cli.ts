// Runs the built CLI (dist/cli/index.js) as a child process, as a user would.
// dist/ is rebuilt before any test runs when src/ is newer (test/support/global-build.ts, a vitest globalSetup).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll } from "vitest";
import {
  BUILTIN_ACCESS_KEY_ID,
  BUILTIN_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/index.js";
import { test } from "../support/fixtures.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CLI = join(ROOT, "dist/cli/index.js");

/** @deprecated The globalSetup builds dist/ when it is stale; this does nothing and goes once no test calls it. */
export function ensureBuilt(): void {}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** A clean environment: no AWS_* or BEDROCK_LLM_* from the developer's shell, no colours. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("AWS_") && !k.startsWith("BEDROCK_LLM_")) env[k] = v;
  }
  env.HOME = mkdtempSync(join(tmpdir(), "bedrock-llm-home-"));
  return { ...env, ...extra };
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: baseEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A config file pointing at the emulator; returns its path. */
export function writeConfig(
  emulatorUrl: string,
  extra = "",
  secret = BUILTIN_SECRET_ACCESS_KEY,
  moreSections = "",
): string {
  const dir = mkdtempSync(join(tmpdir(), "bedrock-llm-cli-"));
  const path = join(dir, "config.toml");
  writeFileSync(
    path,
    `[llm]
model = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"
cross_region_target = "us"
aws_region_name = "us-east-1"
aws_access_key_id = "${BUILTIN_ACCESS_KEY_ID}"
aws_secret_access_key = "${secret}"
aws_bedrock_runtime_endpoint = "${emulatorUrl}"
aws_sts_endpoint = "${emulatorUrl}"
caching_prompt = true
num_retries = 0
${extra}
[llm.haiku]
model = "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0"
${moreSections}`,
  );
  return path;
}

/** The shared fixtures plus `configFile`: a config file pointing at this file's emulator, written once per file. */
export const it = test.extend("configFile", { scope: "file" }, ({ emulator }) => writeConfig(emulator.url));

/** @deprecated Use `it` from this module (fixtures `configFile`, `emulator`, `control`); kept until tests move. */
export function withEmulator(): { readonly emulator: RunningEmulator; readonly config: string } {
  const setup = {} as { emulator: RunningEmulator; config: string };
  beforeAll(async () => {
    setup.emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
    setup.config = writeConfig(setup.emulator.url);
  });
  afterAll(async () => setup.emulator?.close());
  return setup;
}
