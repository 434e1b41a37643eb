#!/usr/bin/env node
// Entry point of the `bedrock-llm` command. Each command lives in its own file and registers itself here.
// Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error (see ./exit.ts).
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerChat } from "./chat.js";
import { registerCheck } from "./check.js";
import { registerDemo } from "./demo.js";
import { registerEmulator } from "./emulator.js";
import { debugRequested, exitCodeFor, printError } from "./exit.js";
import { registerModels } from "./models.js";
import { registerServe } from "./serve.js";

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
registerChat(program);
registerCheck(program);
registerModels(program);
registerServe(program);
registerEmulator(program);
registerDemo(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander already printed its own message for usage errors, help and --version.
  if (!(error instanceof CommanderError)) printError(error, { debug: debugRequested() });
  process.exitCode = exitCodeFor(error);
}
