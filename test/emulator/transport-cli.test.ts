/** `bedrock-llm emulator` as a user runs it: the built CLI in a child process. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { baseEnv, CLI, runCli } from "../cli/run-cli.js";

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf("\n");
      if (end >= 0) resolve(buffered.slice(0, end));
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before printing a line`)));
  });
}

describe("bedrock-llm emulator", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("announces its URL, serves, and exits 0 on %s", async (signal) => {
    const child = spawn(process.execPath, [CLI, "emulator", "--port", "0", "--credential-ttl", "5"], {
      env: baseEnv(),
    });
    try {
      const line = await firstLine(child);
      expect(line).toMatch(/^Bedrock emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice(line.lastIndexOf(" ") + 1);
      const response = await fetch(`${url}/_emulator/requests`);
      expect(await response.json()).toEqual({ requests: [] });
      child.kill(signal);
      const [code] = await once(child, "exit");
      expect(code).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses a bad --port with a usage error", async () => {
    const result = await runCli(["emulator", "--port", "http"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be an integer from 0 to 65535, got "http"');
  });
});
