// STUB: replaced by the helper that owns this command.
import type { Command } from "commander";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("bedrock-llm check: not implemented yet\n");
      process.exitCode = 1;
    });
}
