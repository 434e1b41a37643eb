// `check` when STS cannot be reached but the credentials need no fetching (static keys): only the identity lookup
// failed, so the configuration and model are still reported and the exit status is 0 unless asked otherwise.

import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect } from "vitest";
import { BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { it, runCli, writeConfig } from "./run-cli.js";

let config: string;
let closedPort: number;

/** A loopback port nothing listens on: connections are refused at once, as with an unreachable STS. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it.beforeAll(async ({ emulator }) => {
  closedPort = await closedLoopbackPort();
  config = writeConfig(emulator.url);
  // Bedrock on the emulator, STS nowhere.
  writeFileSync(
    config,
    readFileSync(config, "utf8").replace(
      `aws_sts_endpoint = "${emulator.url}"`,
      `aws_sts_endpoint = "http://127.0.0.1:${closedPort}"`,
    ),
  );
});

describe("bedrock-llm check with STS out of reach", () => {
  it("reports configuration, model and credentials, says only the identity lookup failed, exits 0", async () => {
    const r = await runCli(["check", "-c", config]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Effective configuration [llm]");
    expect(r.stdout).toMatch(/sent as\s+us\.anthropic\.claude-sonnet-4-5-20250929-v1:0/);
    expect(r.stdout).toMatch(/^method\s+static-keys$/m);
    expect(r.stdout).toMatch(
      new RegExp(`^identity\\s+not verified: STS at http://127\\.0\\.0\\.1:${closedPort} could not be reached`, "m"),
    );
    expect(r.stdout).toContain("Only this lookup failed: the keys are used as configured and were not fetched");
    expect(r.stdout).not.toContain("Could not reach AWS to get credentials");
    expect(r.stdout).toMatch(/usable \(caller identity not verified/);
    expect(r.stdout).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
  });

  it("--invoke still calls Bedrock, which needs no STS: exit 0", async ({ control }) => {
    const r = await runCli(["check", "-c", config, "--invoke"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^reply\s+".+"/m);
    expect((await control.requests()).map((c) => c.operation)).toEqual(["Converse"]);
  });

  it("--identity makes the lookup required: exit 1, with the same explanation", async () => {
    const r = await runCli(["check", "-c", config, "--identity"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: The caller identity could not be looked up: STS at http:\/\/127\.0\.0\.1:\d+/m);
    expect(r.stderr).toContain("Only this lookup failed");
    expect(r.stdout).toMatch(/sent as\s+us\.anthropic/); // configuration and model were still reported
  });

  it("--invoke that fails still exits 1", async ({ control }) => {
    await control.fault({ operation: "Converse", error: "AccessDeniedException", count: 1 });
    const r = await runCli(["check", "-c", config, "--invoke"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: /m);
  });
});
