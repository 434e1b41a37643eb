// The CLI loads only the command that runs (src/cli/index.ts); the start-up time itself is measured in
// bench/startup.bench.mjs, never asserted here. What a test can hold: the quick commands load none of the heavy
// modules, and the placeholders that stand in for unloaded commands match what the commands register themselves.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerChat } from "../../src/cli/chat.js";
import { registerCheck } from "../../src/cli/check.js";
import { registerDemo } from "../../src/cli/demo.js";
import { registerEmulator } from "../../src/cli/emulator.js";
import { registerKeys } from "../../src/cli/keys.js";
import { registerModels } from "../../src/cli/models.js";
import { registerServe } from "../../src/cli/serve.js";
import { CLI } from "../cli/run-cli.js";

const run = promisify(execFile);

/** Runs the built CLI with a module hook that appends every resolved module URL to a file; returns the URLs. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "bedrock-llm-startup-"));
  const log = join(dir, "modules.txt");
  writeFileSync(log, "");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  await run(process.execPath, ["--import", pathToFileURL(register).href, CLI, ...args], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

// The dependencies that make start-up slow, and the package's own modules that load them. (A small helper such as
// dist/config/suggest.js may load; the configuration loader, with zod and the TOML parser, may not.)
const HEAVY = [
  /\/node_modules\/(@aws-sdk|@smithy|@opentelemetry|@hono|hono|zod|smol-toml|redis|prom-client|better-sqlite3)\//,
  /\/dist\/(llm|auth|gateway|emulator|bedrock)\//,
  /\/dist\/config\/index\.js$/,
];

describe("CLI start-up", () => {
  it.each(["--version", "--help", "models", "models --json"])(
    "`bedrock-llm %s` loads no AWS SDK, configuration loader, client, gateway or emulator module",
    async (line) => {
      const loaded = await modulesLoadedBy(line.split(" "));
      // The hook sees the CLI's own modules, so an empty list would mean it saw nothing at all.
      expect(loaded.some((url) => url.endsWith("/dist/cli/exit.js"))).toBe(true);
      expect(loaded.filter((url) => HEAVY.some((re) => re.test(url)))).toEqual([]);
    },
  );

  it("loads the command that runs, with its dependencies", async () => {
    const loaded = await modulesLoadedBy(["chat", "--help"]);
    expect(loaded.some((url) => url.endsWith("/dist/cli/chat.js"))).toBe(true);
    expect(loaded.some((url) => url.includes("@aws-sdk/"))).toBe(true);
    expect(loaded.some((url) => url.endsWith("/dist/cli/serve.js"))).toBe(false);
  });

  it("lists every command in --help exactly as the command registers itself (name, arguments, summary)", async () => {
    // What the help would list with every command loaded: commander's own term and the command's summary.
    const eager = new Command("bedrock-llm");
    for (const register of [
      registerChat,
      registerCheck,
      registerModels,
      registerServe,
      registerKeys,
      registerEmulator,
      registerDemo,
    ]) {
      register(eager);
    }
    const help = eager.createHelp();
    const expected = eager.commands.map((cmd) => `${help.subcommandTerm(cmd)} ${cmd.summary()}`);
    expected.push("help [command] display help for command");

    const { stdout } = await run(process.execPath, [CLI, "--help"], { env: { ...process.env, NO_COLOR: "1" } });
    const section = stdout.slice(stdout.indexOf("Commands:") + "Commands:".length, stdout.indexOf("Examples:"));
    // The help wraps and pads to the terminal's width; compare the words.
    const words = (s: string) => s.replace(/\s+/g, " ").trim();
    expect(words(section), "src/cli/index.ts's COMMANDS table is out of date").toBe(words(expected.join(" ")));
  });
});
