#!/usr/bin/env node
// Entry point of the `bedrock-llm` command. Each command lives in its own file and registers itself; only the command
// that runs is loaded (its imports reach the AWS SDK, the emulator or the gateway), so that `--version`, `--help`
// and `models` start in about the time of `node -e 0` (bench/startup.bench.mjs).
// Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error (see ./exit.ts).
import { readFileSync } from "node:fs";
import { Command, CommanderError, Help } from "commander";
import { debugRequested, exitCodeFor, printError } from "./exit.js";

type Register = (program: Command) => void;

/**
 * Every command, in the order the help lists them, with what the top-level help shows for it without loading it
 * (`term` as commander would print it from the real command's arguments and options). The test
 * test/package/cli-startup.test.ts fails when a command's own registration no longer matches this table.
 */
const COMMANDS: ReadonlyArray<{ name: string; term: string; summary: string; load: () => Promise<Register> }> = [
  {
    name: "chat",
    term: "chat [options] [prompt...]",
    summary: "send a prompt to the configured model, or chat on a terminal",
    load: async () => (await import("./chat.js")).registerChat,
  },
  {
    name: "check",
    term: "check [options]",
    summary: "validate a configuration and show what it resolves to",
    load: async () => (await import("./check.js")).registerCheck,
  },
  {
    name: "models",
    term: "models [options] [text]",
    summary: "list known models with capabilities and prices",
    load: async () => (await import("./models.js")).registerModels,
  },
  {
    name: "serve",
    term: "serve [options]",
    summary: "run the OpenAI-compatible gateway",
    load: async () => (await import("./serve.js")).registerServe,
  },
  {
    name: "keys",
    term: "keys",
    summary: "create, list, revoke virtual keys and show their usage, on a running gateway",
    load: async () => (await import("./keys.js")).registerKeys,
  },
  {
    name: "emulator",
    term: "emulator [options]",
    summary: "run the local Bedrock emulator (Bedrock Runtime, STS, SSO) for offline development and tests",
    load: async () => (await import("./emulator.js")).registerEmulator,
  },
  {
    name: "demo",
    term: "demo",
    summary: "a two-turn chat with caching and a guardrail, offline, against the built-in emulator",
    load: async () => (await import("./demo.js")).registerDemo,
  },
];

/**
 * The command the arguments name, as commander finds it: the first argument that is not an option (the global
 * options take no value), or the one after `help`. Undefined for `--help`, `--version`, no command, or a typo.
 */
function requestedCommand(args: readonly string[]): string | undefined {
  const operands = args.filter((a) => !a.startsWith("-"));
  const name = operands[0] === "help" ? operands[1] : operands[0];
  return COMMANDS.some((c) => c.name === name) ? name : undefined;
}

// The AWS SDK warns on Node < 22 about its own releases after January 2027: noise on every command's stderr,
// and nothing a CLI user can act on here. Respect an explicit setting either way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// `bedrock-llm models | head` closes the pipe early: stop quietly, as Unix tools do, instead of crashing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const program = new Command("bedrock-llm")
  .description("Amazon Bedrock from the command line, an OpenAI-compatible gateway, and a local Bedrock emulator")
  .version(version, "-V, --version", "print the version")
  .option("--debug", "print stack traces with errors")
  .showHelpAfterError("(add --help for usage)")
  // Throw instead of exiting, so that usage errors get exit code 2 below (commander would use 1).
  .exitOverride()
  .addHelpText(
    "after",
    `
Examples:
  $ bedrock-llm demo                          # everything offline, against the built-in emulator
  $ bedrock-llm chat -c config.toml "Hello"
  $ bedrock-llm check -c config.toml --invoke
  $ bedrock-llm serve -c config.toml --port 8080

Exit status: 0 ok, 1 runtime error, 2 usage or configuration error.`,
  );

// The other commands are placeholders with the same name, term and summary: enough for the command list in
// `--help` and for "did you mean" after a typo.
const placeholderTerms = new WeakMap<Command, string>();
program.configureHelp({
  subcommandTerm(cmd: Command): string {
    return placeholderTerms.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
  },
});

try {
  const requested = requestedCommand(process.argv.slice(2));
  for (const entry of COMMANDS) {
    if (entry.name === requested) (await entry.load())(program);
    else placeholderTerms.set(program.command(entry.name).summary(entry.summary), entry.term);
  }
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander already printed its own message for usage errors, help and --version.
  if (!(error instanceof CommanderError)) printError(error, { debug: debugRequested() });
  process.exitCode = exitCodeFor(error);
}
