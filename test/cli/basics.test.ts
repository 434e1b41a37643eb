// --help, --version, usage errors, `models`, and configuration errors: exit codes and messages.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./run-cli.js";

describe("bedrock-llm basics", () => {
  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it("--help lists every command", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["chat", "check", "models", "serve", "emulator", "demo"]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
    expect(r.stdout).toContain("Exit status: 0 ok, 1 runtime error, 2 usage or configuration error");
  });

  it.each(["chat", "check", "models", "serve", "demo"])("%s --help shows examples", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: bedrock-llm ${command}`);
    expect(r.stdout).toMatch(/Examples?:\n\s+\$ /);
  });

  it("exits 2 on an unknown command or option", async () => {
    const command = await runCli(["chatt"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'chatt'");
    const option = await runCli(["models", "--bogus"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--bogus'");
  });

  it("models prints the registry as a table and as JSON", async () => {
    const table = await runCli(["models"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+CONTEXT/);
    expect(table.stdout).toMatch(/^anthropic\.claude-sonnet-4-5-20250929-v1:0\s+Claude Sonnet 4\.5\s+\d+/m);
    expect(table.stdout).not.toContain("\u001b[");
    const json = await runCli(["models", "--json"]);
    expect(json.code).toBe(0);
    const models = JSON.parse(json.stdout) as { id: string; pricing?: { input: number } }[];
    expect(models.find((m) => m.id === "anthropic.claude-sonnet-4-5-20250929-v1:0")?.pricing?.input).toBe(3);
  });

  it("exits 2 naming file, line and key for a bad configuration", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "bedrock-llm-bad-")), "config.toml");
    writeFileSync(path, `[llm]\nmodel = "bedrock/anthropic.claude-3-haiku-20240307-v1:0"\n\ntemperatur = 0.5\n`);
    const r = await runCli(["check", "-c", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/:4\b|line 4/);
    expect(r.stderr).toContain("temperatur");
    expect(r.stderr).toContain("temperature"); // the suggestion
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack without --debug
    const debug = await runCli(["check", "-c", path, "--debug"]);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  it("exits 2 when there is no configuration at all", async () => {
    const r = await runCli(["chat", "hi"], { cwd: join(ROOT, "src") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("BEDROCK_LLM_CONFIG");
  });
});
