// Interactive chat in a real terminal (tmux): two turns, history kept, the second turn reading from the cache.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, vi } from "vitest";
import { CLI, it } from "./run-cli.js";

// A private tmux server (its own socket), so the test never touches anyone else's sessions.
const SOCKET = `bedrock-llm-test-${process.pid}`;
const SESSION = "chat";
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });

// tmux is a development prerequisite (README); CI installs it. Without it, skip visibly instead of failing.
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
if (!hasTmux) console.warn("test/cli/interactive.test.ts: skipping the terminal tests, tmux is not installed");

let script: string;

it.beforeAll(({ configFile: config }) => {
  if (!hasTmux) return;
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

afterAll(() => {
  try {
    tmux("kill-server");
  } catch {
    // already gone
  }
});

function screen(session = SESSION): string {
  return tmux("capture-pane", "-p", "-J", "-t", session, "-S", "-200");
}

/** Polls the pane until `pattern` shows, or fails after a bounded deadline with the screen in the message. */
function waitFor(pattern: RegExp, timeout = 10_000, session = SESSION): Promise<string> {
  return vi.waitFor(
    () => {
      const text = screen(session);
      if (!pattern.test(text)) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
      return text;
    },
    { timeout, interval: 50 },
  );
}

describe.skipIf(!hasTmux)("interactive chat on a terminal", () => {
  it("holds a two-turn conversation with history, showing cache reads", async ({ control }) => {
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
    const calls = await control.requests();
    const second = JSON.stringify(calls[1]?.body);
    expect(second).toContain("What is rule 7?");
    expect(second).toContain("And rule 8?");
    tmux("send-keys", "-t", SESSION, "/exit", "Enter");
    await waitForExit();
  });
});

describe.skipIf(!hasTmux)("slash commands", () => {
  const session = "slash";
  const type = (text: string) => tmux("send-keys", "-t", session, "-l", text);
  const enter = () => tmux("send-keys", "-t", session, "Enter");
  const line = (text: string) => {
    type(text);
    enter();
  };

  it("/help, unknown commands refused unsent, // escapes, /model, /cost, /clear, /exit", async ({ control }) => {
    tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "60", script);
    await waitFor(/^> $/m, 10_000, session);
    line("/help");
    await waitFor(/^\/clear\s+start a new conversation/m, 10_000, session);
    line("/weather in Paris");
    await waitFor(/unknown command \/weather \(nothing was sent to the model\)/, 10_000, session);
    expect(await control.requests()).toHaveLength(0);

    line("//etc/hosts is a file?");
    await waitFor(/cache write \d+/, 10_000, session);
    const [first] = await control.requests();
    expect(JSON.stringify(first?.body)).toContain('"/etc/hosts is a file?"');

    line("/model");
    await waitFor(/sent as us\.anthropic\.claude-sonnet-4-5-20250929-v1:0; Claude Sonnet 4\.5\)/, 10_000, session);
    line("/model anthropic.claude-haiku-4-5-20251001-v1:0");
    await waitFor(/sent as us\.anthropic\.claude-haiku-4-5-20251001-v1:0, from the next turn on/, 10_000, session);
    line("Second question");
    await waitFor(/(cache write \d+[\s\S]*){2}/, 10_000, session);
    const second = (await control.requests())[1];
    expect(second?.modelId).toBe("us.anthropic.claude-haiku-4-5-20251001-v1:0");
    expect(JSON.stringify(second?.body)).toContain("/etc/hosts is a file?"); // the conversation was kept

    line("/cost");
    await waitFor(/^2 replies · tokens in \d+ \(cache read \d+, cache write \d+\) · out \d+ · \$\d/m, 10_000, session);
    line("/clear");
    await waitFor(/new conversation/, 10_000, session);
    line("Fresh start");
    await waitFor(/(cache write \d+[\s\S]*){3}/, 10_000, session);
    const third = JSON.stringify((await control.requests())[2]?.body);
    expect(third).toContain("Fresh start");
    expect(third).not.toContain("Second question");
    expect(third).toContain("Rule 7: keep the station clean."); // the system prompt stays

    line("/exit");
    await waitForExit(5000, session);
  });

  it("prints a mid-stream error on its own line, after the partial reply", async ({ control }) => {
    await control.respond({ text: "alpha beta gamma delta epsilon zeta eta theta" });
    await control.fault({
      operation: "ConverseStream",
      error: "ServiceUnavailableException",
      count: 1,
      afterEvents: 4,
    });
    tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "60", script);
    await waitFor(/^> $/m, 10_000, session);
    line("Recite");
    const text = await waitFor(/ServiceUnavailable[\s\S]*^> $/m, 10_000, session);
    const lines = text.split("\n");
    const partial = lines.findIndex((l) => l.startsWith("alpha"));
    expect(partial).toBeGreaterThan(-1);
    expect(lines[partial]).not.toMatch(/ServiceUnavailable|Bedrock/); // not glued to the reply
    expect(lines[partial + 1]).toMatch(/ServiceUnavailable|Bedrock/);
    line("/exit");
    await waitForExit(5000, session);
  });
});

describe.skipIf(!hasTmux)("models on a terminal", () => {
  it("fits the terminal's width and says which columns it left out", async () => {
    tmux(
      "new-session",
      "-d",
      "-s",
      "narrow",
      "-x",
      "100",
      "-y",
      "80",
      `"${process.execPath}" "${CLI}" models; echo __END__; read x`,
    );
    const text = await vi.waitFor(
      () => {
        const pane = tmux("capture-pane", "-p", "-S", "-", "-t", "narrow");
        if (!pane.includes("__END__")) throw new Error(`no table on the screen:\n${pane}`);
        return pane;
      },
      { timeout: 10_000, interval: 50 },
    );
    const table = text.slice(0, text.indexOf("__END__")).trimEnd().split("\n");
    expect(table[0]).toMatch(/^ID\s+/);
    expect(table.some((l) => l.startsWith("anthropic.claude-sonnet-4-5-20250929-v1:0 "))).toBe(true);
    expect(text).toContain("(not shown, for the terminal's width:");
    // No row was wrapped by the terminal: every line between the header and the footer is one model.
    const rows = table.slice(
      1,
      table.findIndex((l) => l.startsWith("(not shown")),
    );
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) expect(row).toMatch(/^[a-z0-9-]+\.[a-z0-9.:-]+ /);
  });
});

describe.skipIf(!hasTmux)("colours", () => {
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
  const captured = (session: string) =>
    vi.waitFor(
      () => {
        const text = tmux("capture-pane", "-p", "-e", "-S", "-", "-t", session);
        if (!text.includes("__END__")) throw new Error(`no table on the screen:\n${text}`);
        return text;
      },
      { timeout: 10_000, interval: 50 },
    );

  it("are used on a terminal, and never with NO_COLOR", async () => {
    run("tty-colour", "unset NO_COLOR;");
    run("tty-plain", "NO_COLOR=1");
    expect(await captured("tty-colour")).toContain("\u001b[1m");
    expect(await captured("tty-plain")).not.toContain("\u001b[");
  });
});

function waitForExit(timeout = 5000, session = SESSION): Promise<void> {
  return vi.waitFor(
    () => {
      try {
        tmux("has-session", "-t", session);
      } catch {
        return; // the session ended with the program
      }
      throw new Error(`chat did not exit; screen:\n${screen(session)}`);
    },
    { timeout, interval: 50 },
  );
}
