// `check`, `serve` and `demo` as processes.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { describe, expect, vi } from "vitest";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { baseEnv, CLI, it, runCli, writeConfig } from "./run-cli.js";

describe("bedrock-llm check", () => {
  it("shows the redacted config, credentials, identity and the model sent; exit 0", async ({ configFile }) => {
    const r = await runCli(["check", "-c", configFile]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("static-keys");
    expect(r.stdout).toContain("123456789012");
    expect(r.stdout).toMatch(/sent as\s+us\.anthropic\.claude-sonnet-4-5-20250929-v1:0/);
    expect(r.stdout).toMatch(/caching\s+yes/);
    expect(r.stdout).toContain(BUILTIN_ACCESS_KEY_ID.slice(-4));
    expect(r.stdout).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
    expect(r.stdout).not.toContain(BUILTIN_SECRET_ACCESS_KEY.slice(0, 12));
  });

  it("--invoke makes one call; --llm checks a section", async ({ configFile, control }) => {
    const r = await runCli(["check", "-c", configFile, "--llm", "haiku", "--invoke"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sent as\s+us\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    expect(r.stdout).toMatch(/^reply\s+".+"/m);
    const list = await control.requests();
    expect(list.filter((c) => c.operation === "Converse")).toHaveLength(1);
  });

  it("prints the notice for an end-of-life model and exits 2", async ({ emulator }) => {
    const old = writeConfig(
      emulator.url,
      "",
      undefined,
      '[llm.old]\nmodel = "bedrock/anthropic.claude-3-sonnet-20240229-v1:0"\n',
    );
    const r = await runCli(["check", "-c", old, "--llm", "old"]);
    expect(r.stdout).toMatch(/^notice\s+.*end of life/im);
    expect(r.stderr).toContain("llm.old.model");
    expect(r.code).toBe(2);
  });

  it("exits 2 for a model that needs an inference profile sent by its plain id", async ({ emulator }) => {
    // The shared config sets cross_region_target = "us" in [llm]; without it the plain id goes out.
    const plain = writeConfig(emulator.url);
    writeFileSync(plain, readFileSync(plain, "utf8").replace('cross_region_target = "us"\n', ""));
    const r = await runCli(["check", "-c", plain]);
    expect(r.stdout).toMatch(/^notice\s+.*cross_region_target = "us"/m);
    expect(r.stderr).toContain("llm.model");
    expect(r.code).toBe(2);
  });

  it("exits 1 when the credentials are refused, without printing the secret", async ({ emulator }) => {
    const wrongSecret = "wrongSecretKeyValue1234567890abcdefghijkl";
    const bad = writeConfig(emulator.url, "", wrongSecret);
    const r = await runCli(["check", "-c", bad, "--debug"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: /m);
    expect(r.stdout + r.stderr).not.toContain(wrongSecret);
  });
});

describe("bedrock-llm serve", () => {
  it("prints its URL, serves /healthz, and exits 0 on SIGTERM", async ({ configFile }) => {
    const child = spawn(process.execPath, [CLI, "serve", "-c", configFile, "--port", "0"], {
      env: baseEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once("line", resolve));
    const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("on SIGTERM, finishes the request in flight before exiting 0", async ({ configFile, control }) => {
    await control.fault({ operation: "Converse", count: 1, delayMs: 800 });
    const child = spawn(process.execPath, [CLI, "serve", "-c", configFile, "--port", "0"], {
      env: baseEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once("line", resolve),
    );
    const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
    const reply = fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "default", messages: [{ role: "user", content: "slow one" }] }),
    });
    await vi.waitFor(async () => expect(await control.requests()).not.toHaveLength(0), { timeout: 5000, interval: 20 });
    child.kill("SIGTERM");
    const res = await reply;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe("chat.completion");
    expect(await exited).toBe(0);
    // The access log: one JSON line for the request, without its contents or any secret.
    const line = stderr.split("\n").find((l) => l.includes('"path":"/v1/chat/completions"'));
    expect(JSON.parse(line ?? "{}")).toMatchObject({ method: "POST", status: 200, model: "default" });
    expect(stderr).not.toContain("slow one");
    expect(stderr).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
  });

  it("refuses to listen beyond loopback without API keys (exit 2)", async ({ configFile }) => {
    const r = await runCli(["serve", "-c", configFile, "--host", "0.0.0.0", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("api_keys");
  });

  it("exits 2 for a bad --port", async ({ configFile }) => {
    const r = await runCli(["serve", "-c", configFile, "--port", "http"]);
    expect(r.code).toBe(2);
  });
});

describe("bedrock-llm demo", () => {
  it("runs two turns offline, the second reading the system prompt from the cache", async () => {
    const r = await runCli(["demo"], { env: { AWS_ACCESS_KEY_ID: "AKIAREALLOOKINGKEY000", NO_COLOR: "1" } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Turn 1");
    expect(r.stdout).toContain("Turn 2");
    const fromCache = [...r.stdout.matchAll(/tokens from cache (\d+) · written to cache (\d+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(fromCache).toHaveLength(2);
    expect(fromCache[0]?.[1]).toBeGreaterThan(1000);
    expect(fromCache[1]?.[0]).toBeGreaterThanOrEqual(fromCache[0]?.[1] ?? Number.POSITIVE_INFINITY);
    expect(r.stdout).toContain("finish_reason content_filter");
    expect(r.stdout).not.toContain("\u001b[");
  });
});
