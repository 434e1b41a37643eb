// `bedrock-llm check` shows a section's routing graph: its deployments (strategy, weights), then its fallbacks.
import { describe, expect } from "vitest";
import { it, runCli, writeConfig } from "./run-cli.js";

describe("bedrock-llm check, routing", () => {
  it("shows the legs a call tries, in order, with each section's model and region", async ({ emulator }) => {
    const config = writeConfig(
      emulator.url,
      'deployments = ["east", "west"]\nrouting_strategy = "weighted"\nfallbacks = ["haiku"]\n',
      undefined,
      '[llm.east]\nweight = 3\n[llm.west]\naws_region_name = "us-west-2"\n',
    );
    const r = await runCli(["check", "-c", config]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const routing = r.stdout.slice(r.stdout.indexOf("Routing"));
    expect(routing).toMatch(/^1\. \[llm\] deployments, weighted, 0 retries; cooldown 5 s doubling to 60 s/m);
    expect(routing).toMatch(
      /^\s+\[llm\.east\]\s+us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 in us-east-1, weight 3$/m,
    );
    expect(routing).toMatch(
      /^\s+\[llm\.west\]\s+us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 in us-west-2, weight 1$/m,
    );
    expect(routing).toMatch(
      /^2\. \[llm\.haiku\]: us\.anthropic\.claude-haiku-4-5-20251001-v1:0 in us-east-1, 0 retries$/m,
    );
  });

  it("shows no routing for a section that routes nowhere", async ({ configFile }) => {
    const r = await runCli(["check", "-c", configFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Routing");
  });
});
