// STUB: replaced by the helper that owns this command.
import type { Command } from "commander";

export function registerModels(program: Command): void {
  program
    .command("models")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("bedrock-llm models: not implemented yet\n");
      process.exitCode = 1;
    });
}
