// A misspelt model id: "did you mean" the registry id, from the library (a warning before the call) and the CLI.
import { describe, expect } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { ValidationError } from "../../src/errors.js";
import { LLM } from "../../src/llm/index.js";
import { closestModelId, resolveModel } from "../../src/models/index.js";
import { it, runCli, writeConfig } from "./run-cli.js";

const TYPO = "anthropic.claude-sonet-4-5-20250929-v1:0";
const RIGHT = "anthropic.claude-sonnet-4-5-20250929-v1:0";

describe("closestModelId", () => {
  it.each([
    [TYPO, RIGHT],
    ["claude-sonet-4-5", RIGHT], // no provider, no date
    ["anthropic.claude-haiku-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0"], // the date forgotten
    ["anthropc.claude-sonnet-4-6", "anthropic.claude-sonnet-4-6"], // the provider misspelt
    ["amazon.nova-prp-v1:0", "amazon.nova-pro-v1:0"],
    ["anthropic.claude-3-5-sonet-20241022-v2:0", "anthropic.claude-3-5-sonnet-20241022-v2:0"], // the v2 of two
    ["anthropic.claude-3-5-sonet-20240620-v1:0", "anthropic.claude-3-5-sonnet-20240620-v1:0"], // the v1
  ])("%s -> %s", (typed, expected) => {
    expect(closestModelId(typed)).toBe(expected);
  });

  it.each([
    "anthropic.claude-opus-4-9", // other numbers: a newer model, not a typo
    "acme.unknown-v1",
    "claude", // a family, not one model
  ])("suggests nothing for %s", (typed) => {
    expect(closestModelId(typed)).toBeUndefined();
  });
});

describe("a misspelt model id", () => {
  it("resolves with a notice that names the registry id, keeping the profile prefix", () => {
    const resolved = resolveModel({ model: `bedrock/us.${TYPO}`, aws_region_name: "us-east-1" });
    expect(resolved.known).toBe(false);
    expect(resolved.notices.join("\n")).toContain(`Did you mean us.${RIGHT}?`);
  });

  it("library: the warning says 'did you mean' before Bedrock refuses the id", async ({ emulator }) => {
    const config = configFromObject(
      {
        llm: {
          model: `bedrock/${TYPO}`,
          cross_region_target: "us",
          aws_region_name: "us-east-1",
          aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
          aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
          aws_bedrock_runtime_endpoint: emulator.url,
          num_retries: 0,
        },
      },
      { env: {} },
    );
    const warnings: string[] = [];
    const llm = new LLM(config.llm, { onWarning: (message) => warnings.push(message) });
    const call = llm.completion({ messages: [{ role: "user", content: "Hi" }] });
    await expect(call).rejects.toBeInstanceOf(ValidationError);
    await expect(call).rejects.toThrow(/model identifier is invalid/);
    expect(warnings.join("\n")).toContain(`Did you mean ${RIGHT}?`);
  });

  it("CLI: check shows the suggestion; chat prints it before Bedrock's refusal", async ({ emulator }) => {
    const config = writeConfig(emulator.url, "", undefined, `[llm.typo]\nmodel = "bedrock/${TYPO}"\n`);
    const check = await runCli(["check", "-c", config, "--llm", "typo"]);
    // The file's model is a base id (cross_region_target adds "us."), so the suggestion is the base id too.
    expect(check.stdout).toMatch(new RegExp(`^notice\\s+.*Did you mean ${RIGHT.replaceAll(".", "\\.")}\\?`, "m"));
    const chat = await runCli(["chat", "-c", config, "--llm", "typo", "Hi"]);
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain(`Did you mean ${RIGHT}?`);
    expect(chat.stderr).toContain("model identifier is invalid");
  });

  it("CLI: an ambiguous --model gets the registry id to use (exit 2)", async () => {
    const r = await runCli(["chat", "--model", "claude-sonet-4-5", "Hi"], { cwd: "/" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Did you mean --model ${RIGHT}?`);
  });
});
