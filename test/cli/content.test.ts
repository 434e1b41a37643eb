// `chat --count-tokens` and `check` on an application inference profile, as processes against the emulator.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect } from "vitest";
import { it, runCli, writeConfig } from "./run-cli.js";

describe("bedrock-llm chat --count-tokens", () => {
  it("prints the input tokens Bedrock counted, and sends nothing else", async ({ configFile, control }) => {
    const r = await runCli(["chat", "-c", configFile, "--count-tokens", "How many tokens is this prompt?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\n$/);
    expect(r.stderr).toContain("counted by Bedrock (CountTokens)");
    const json = await runCli(["chat", "-c", configFile, "--count-tokens", "--json", "How many tokens?"]);
    expect(JSON.parse(json.stdout)).toEqual({
      input_tokens: expect.any(Number),
      source: "bedrock",
      model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    });
    expect((await control.requests()).map((c) => c.operation)).toEqual(["CountTokens", "CountTokens"]);
  });

  it("says when the number is the local estimate", async ({ configFile }) => {
    const r = await runCli(["chat", "-c", configFile, "--model", "amazon.nova-lite-v1:0", "--count-tokens", "Hi"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/estimated locally: .*doesn't support counting tokens/);
  });
});

describe("bedrock-llm check on an application inference profile", () => {
  it("shows the model GetInferenceProfile resolves it to, and its capabilities", async ({ emulator }) => {
    const created = await fetch(`${emulator.url}/_emulator/inference-profiles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "team-a", copyFrom: "us.anthropic.claude-haiku-4-5-20251001-v1:0" }),
    });
    const { inferenceProfileArn: arn } = (await created.json()) as { inferenceProfileArn: string };
    const path = writeConfig(
      emulator.url,
      `aws_bedrock_endpoint = "${emulator.url}"\n`,
      undefined,
      `[llm.app]\nmodel = "bedrock/${arn}"\n`,
    );
    // An ARN names what is called: no cross_region_target in the section it inherits from.
    writeFileSync(path, readFileSync(path, "utf8").replace('cross_region_target = "us"\n', ""));
    const r = await runCli(["check", "-c", path, "--llm", "app"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `profile      application inference profile ${arn} ("team-a") runs anthropic.claude-haiku-4-5-20251001-v1:0 (GetInferenceProfile)`,
    );
    expect(r.stdout).toMatch(/registry\s+Claude Haiku 4\.5/);
    expect(r.stdout).toMatch(/sent as\s+arn:aws:bedrock:us-east-1:123456789012:application-inference-profile\//);
  });
});
