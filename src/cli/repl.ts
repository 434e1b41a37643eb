/**
 * The interactive conversation of `chat` on a terminal. History is kept, so every turn resends the earlier
 * ones and, with caching_prompt on, the summary line shows the shared prefix read from the cache.
 * Lines starting with "/" are commands (./repl-commands.ts), never prompts.
 */
import { createInterface } from "node:readline";
import { AbortedError } from "../errors.js";
import type { LLM } from "../llm/index.js";
import type { ChatMessage } from "../llm/types.js";
import { describeError } from "./exit.js";
import { classify, type ReplSession, runCommand } from "./repl-commands.js";
import { streamReply, terminalWriters } from "./reply.js";
import { styleFor } from "./style.js";
import { summaryLine } from "./usage-line.js";

export async function runRepl(llm: LLM, system: ChatMessage[]): Promise<void> {
  const style = styleFor(process.stdout);
  const errStyle = styleFor(process.stderr);
  const session: ReplSession = { llm, system, history: [...system] };
  const out = {
    info: (text: string) => process.stdout.write(`${style.dim(text)}\n`),
    error: (text: string) => process.stderr.write(`${errStyle.red(text)}\n`),
  };
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    prompt: style.cyan("> "),
  });
  process.stdout.write(style.dim(`Chatting with ${llm.config.model}. /help for commands, /exit or Ctrl-D to leave.\n`));
  let turn: AbortController | undefined;
  // Ctrl-C during a reply stops that reply; at the prompt it leaves.
  rl.on("SIGINT", () => {
    if (turn) turn.abort();
    else rl.close();
  });
  // The iterator buffers lines typed while a reply is still streaming, so type-ahead is not lost.
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      rl.prompt();
      const next = await lines.next();
      if (next.done) break;
      const line: string = next.value;
      const input = classify(line.trim());
      if ("command" in input) {
        if (runCommand(input.command, input.argument, session, out) === "exit") break;
        continue;
      }
      if (!input.prompt) continue;
      session.history.push({ role: "user", content: input.prompt });
      turn = new AbortController();
      const writers = terminalWriters();
      try {
        const reply = await streamReply(llm, session.history, writers, {
          signal: turn.signal,
          ...(session.model && { model: session.model }),
        });
        process.stdout.write("\n");
        session.history.push({ role: "assistant", content: reply.text });
        process.stderr.write(`${errStyle.dim(summaryLine(reply))}\n`);
      } catch (error) {
        session.history.pop();
        writers.endLine(); // the message starts its own line, after whatever part of the reply arrived
        const message = error instanceof AbortedError ? "(reply interrupted)" : describeError(error);
        process.stderr.write(`${errStyle.red(message)}\n`);
      } finally {
        turn = undefined;
      }
    }
  } finally {
    rl.close();
  }
}
