#!/usr/bin/env node
// Entry point of the `bedrock-llm` command. Each command lives in its own file and registers itself here.
import { Command } from "commander";
import { registerChat } from "./chat.js";
import { registerCheck } from "./check.js";
import { registerDemo } from "./demo.js";
import { registerEmulator } from "./emulator.js";
import { registerModels } from "./models.js";
import { registerServe } from "./serve.js";

const program = new Command("bedrock-llm").description(
  "Amazon Bedrock from the command line, an OpenAI-compatible gateway, and a local Bedrock emulator",
);
registerChat(program);
registerCheck(program);
registerModels(program);
registerServe(program);
registerEmulator(program);
registerDemo(program);
await program.parseAsync(process.argv);
