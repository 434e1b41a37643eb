// STUB: replaced by the helper that owns this command.
import type { Command } from "commander";

export function registerChat(program: Command): void {
  program
    .command("chat")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("bedrock-llm chat: not implemented yet\n");
      process.exitCode = 1;
    });
}
