// STUB: replaced by the helper that owns this command.
import type { Command } from "commander";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("bedrock-llm demo: not implemented yet\n");
      process.exitCode = 1;
    });
}
