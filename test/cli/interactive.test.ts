// Interactive chat in a real terminal (tmux): two turns, history kept, the second turn reading from the cache.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { recordedRequests } from "../gateway/harness.js";
import { CLI, ensureBuilt, writeConfig } from "./run-cli.js";

// A private tmux server (its own socket), so the test never touches anyone else's sessions.
const SOCKET = `bedrock-llm-test-${process.pid}`;
const SESSION = "chat";
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });

let emulator: RunningEmulator;
let script: string;

beforeAll(async () => {
  ensureBuilt();
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  const config = writeConfig(emulator.url);
  const dir = mkdtempSync(join(tmpdir(), "bedrock-llm-tty-"));
  const system = Array.from({ length: 400 }, (_, i) => `Rule ${i}: keep the station clean.`).join(" ");
  writeFileSync(join(dir, "system.txt"), system);
  script = join(dir, "chat.sh");
  writeFileSync(
    script,
    `#!/bin/sh\nunset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY BEDROCK_LLM_CONFIG\nexport NO_COLOR=1\nexec "${process.execPath}" "${CLI}" chat -c "${config}" --system "$(cat "${join(dir, "system.txt")}")"\n`,
  );
  chmodSync(script, 0o755);
});

afterAll(async () => {
  try {
    tmux("kill-server");
  } catch {
    // already gone
  }
  await emulator?.close();
});

function screen(): string {
  return tmux("capture-pane", "-p", "-J", "-t", SESSION, "-S", "-200");
}

/** Polls the pane until `pattern` shows, or fails after a bounded deadline with the screen in the message. */
async function waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("interactive chat on a terminal", () => {
  it("holds a two-turn conversation with history, showing cache reads", async () => {
    tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", script);
    await waitFor(/^> $/m);
    tmux("send-keys", "-t", SESSION, "What is rule 7?", "Enter");
    await waitFor(/cache write \d+/);
    tmux("send-keys", "-t", SESSION, "And rule 8?", "Enter");
    const text = await waitFor(/(cache read \d+[\s\S]*){2}/);
    const reads = [...text.matchAll(/cache read (\d+) · cache write (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(reads).toHaveLength(2);
    expect(reads[0]?.[1]).toBeGreaterThan(1000);
    expect(reads[1]?.[0]).toBeGreaterThanOrEqual(reads[0]?.[1] ?? Number.POSITIVE_INFINITY);
    // The second request carried the whole conversation.
    const calls = await recordedRequests(emulator.url);
    const second = JSON.stringify(calls[1]?.body);
    expect(second).toContain("What is rule 7?");
    expect(second).toContain("And rule 8?");
    tmux("send-keys", "-t", SESSION, "/exit", "Enter");
    await waitForExit();
  });
});

describe("colours", () => {
  // The pane stays open after the command (read waits on the terminal) so that it can be captured with escapes.
  const run = (session: string, env: string) => {
    tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "250",
      "-y",
      "20",
      `${env} "${process.execPath}" "${CLI}" models; echo __END__; read x`,
    );
  };
  const captured = async (session: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = tmux("capture-pane", "-p", "-e", "-S", "-", "-t", session);
      if (text.includes("__END__")) return text;
      if (Date.now() > deadline) throw new Error(`no table on the screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("are used on a terminal, and never with NO_COLOR", async () => {
    run("tty-colour", "unset NO_COLOR;");
    run("tty-plain", "NO_COLOR=1");
    expect(await captured("tty-colour")).toContain("\u001b[1m");
    expect(await captured("tty-plain")).not.toContain("\u001b[");
  });
});

async function waitForExit(timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      tmux("has-session", "-t", SESSION);
    } catch {
      return; // the session ended with the program
    }
    if (Date.now() > deadline) throw new Error(`chat did not exit; screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
