// `bedrock-llm chat` against an emulator: prompt sources, flags, output formats, config lookup, exit codes.
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect } from "vitest";
import { BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { it, runCli } from "./run-cli.js";

const SUMMARY = /^\[tokens in \d+ · out \d+ · cache read \d+ · cache write \d+ · \$\d+\.\d+ · \d+ ms\]$/m;

describe("bedrock-llm chat", () => {
  it("streams the reply for a prompt argument and prints a summary line on stderr", async ({ configFile, control }) => {
    await control.respond({ text: "Hello from the emulator." });
    const r = await runCli(["chat", "-c", configFile, "Say", "hello"]);
    expect(r.stderr).toMatch(SUMMARY);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Hello from the emulator.\n");
    const [call] = await control.requests();
    expect(call?.operation).toBe("ConverseStream");
    expect(JSON.stringify(call?.body)).toContain("Say hello");
  });

  it("writes a thinking model's reasoning to stderr, keeping stdout for the answer", async ({
    configFile,
    control,
  }) => {
    await control.respond({ text: "Forty-two.", reasoning: "Counting carefully first." });
    const r = await runCli(["chat", "-c", configFile, "What is six times seven?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Forty-two.\n");
    expect(r.stderr).toContain("Counting carefully first.");
  });

  it("reads the prompt from standard input", async ({ configFile, control }) => {
    const r = await runCli(["chat", "-c", configFile], { input: "prompt from stdin\n" });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1);
    expect(JSON.stringify((await control.requests())[0]?.body)).toContain("prompt from stdin");
  });

  it("exits 2 when stdin is empty and no prompt is given", async ({ configFile }) => {
    const r = await runCli(["chat", "-c", configFile], { input: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no prompt");
  });

  it("--json prints the OpenAI-shaped response; --no-stream uses Converse", async ({ configFile, control }) => {
    await control.respond({ text: "JSON reply." });
    const json = await runCli(["chat", "-c", configFile, "--json", "hi"]);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { object: string; choices: { message: { content: string } }[] };
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]?.message.content).toBe("JSON reply.");
    await control.respond({ text: "Whole reply." });
    const plain = await runCli(["chat", "-c", configFile, "--no-stream", "hi"]);
    expect(plain.stdout).toBe("Whole reply.\n");
    expect(plain.stderr).toMatch(SUMMARY);
    const ops = (await control.requests()).map((c) => c.operation);
    expect(ops).toEqual(["Converse", "Converse"]);
  });

  it("--system, --llm and --model reach the request", async ({ configFile, control }) => {
    await runCli(["chat", "-c", configFile, "--system", "Answer in French", "hi"]);
    await runCli(["chat", "-c", configFile, "--llm", "haiku", "hi"]);
    await runCli(["chat", "-c", configFile, "--model", "anthropic.claude-3-haiku-20240307-v1:0", "hi"]);
    const calls = await control.requests();
    expect(JSON.stringify(calls[0]?.body)).toContain("Answer in French");
    expect(calls.map((c) => c.modelId)).toEqual([
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      "us.anthropic.claude-3-haiku-20240307-v1:0",
    ]);
  });

  it("exits 2 for a --model that is not a Bedrock id, as the file's model key would", async ({ configFile }) => {
    const ambiguous = await runCli(["chat", "-c", configFile, "--model", "gpt-4", "hi"]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--model "gpt-4" is ambiguous');
    const otherProvider = await runCli(["chat", "-c", configFile, "--model", "openai/gpt-4o", "hi"]);
    expect(otherProvider.code).toBe(2);
    expect(otherProvider.stderr).toContain('"openai" provider');
  });

  it("exits 2 for an unknown --llm section", async ({ configFile }) => {
    const r = await runCli(["chat", "-c", configFile, "--llm", "nope", "hi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("[llm.nope]");
    expect(r.stderr).toContain("haiku");
  });

  it("finds ./config.toml, then $BEDROCK_LLM_CONFIG", async ({ configFile }) => {
    const cwd = mkdtempSync(join(tmpdir(), "bedrock-llm-cwd-"));
    const viaEnv = await runCli(["chat", "hi"], { cwd, env: { BEDROCK_LLM_CONFIG: configFile } });
    expect(viaEnv.code).toBe(0);
    copyFileSync(configFile, join(cwd, "config.toml"));
    const local = await runCli(["chat", "hi"], { cwd, env: { BEDROCK_LLM_CONFIG: "/nonexistent.toml" } });
    expect(local.code).toBe(0);
    expect(dirname(configFile)).not.toBe(cwd);
  });

  it("exits 1 on a runtime failure with one clear paragraph and no secret", async ({ configFile, control }) => {
    await control.fault({ operation: "*", error: "ThrottlingException", count: 3 });
    const r = await runCli(["chat", "-c", configFile, "hi"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*thrott/im);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr + r.stdout).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
  });

  it("shows cache reads on the second call with a long system prompt", async ({ configFile }) => {
    const system = Array.from({ length: 400 }, (_, i) => `Rule ${i}: keep the station clean.`).join(" ");
    const first = await runCli(["chat", "-c", configFile, "--system", system, "first"]);
    const second = await runCli(["chat", "-c", configFile, "--system", system, "second"]);
    const written = Number(/cache write (\d+)/.exec(first.stderr)?.[1]);
    expect(written).toBeGreaterThan(1000);
    // The system prompt comes from the cache; the new user message does not.
    const read = Number(/cache read (\d+)/.exec(second.stderr)?.[1]);
    expect(read).toBeGreaterThan(1000);
    expect(read).toBeLessThanOrEqual(written);
  });
});
