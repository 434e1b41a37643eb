// STUB: replaced by the helper that owns this command.
import type { Command } from "commander";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("bedrock-llm serve: not implemented yet\n");
      process.exitCode = 1;
    });
}
