// STUB: replaced by the helper that owns this command.
import type { Command } from "commander";

export function registerEmulator(program: Command): void {
  program
    .command("emulator")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("bedrock-llm emulator: not implemented yet\n");
      process.exitCode = 1;
    });
}
