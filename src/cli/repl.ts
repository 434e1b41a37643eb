/**
 * The interactive conversation of `chat` on a terminal. History is kept, so every turn resends the earlier
 * ones and, with caching_prompt on, the summary line shows the shared prefix read from the cache.
 */
import { createInterface } from "node:readline/promises";
import { AbortedError } from "../errors.js";
import type { LLM } from "../llm/index.js";
import type { ChatMessage } from "../llm/types.js";
import { describeError } from "./exit.js";
import { streamReply, terminalWriters } from "./reply.js";
import { styleFor } from "./style.js";
import { summaryLine } from "./usage-line.js";

export async function runRepl(llm: LLM, system: ChatMessage[]): Promise<void> {
  const style = styleFor(process.stdout);
  const errStyle = styleFor(process.stderr);
  const history: ChatMessage[] = [...system];
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write(style.dim(`Chatting with ${llm.config.model}. /exit or Ctrl-D to leave.\n`));
  let turn: AbortController | undefined;
  // Ctrl-C during a reply stops that reply; at the prompt it leaves.
  rl.on("SIGINT", () => {
    if (turn) turn.abort();
    else rl.close();
  });
  const closed = new Promise<null>((resolve) => rl.once("close", () => resolve(null)));
  try {
    for (;;) {
      const line = await Promise.race([rl.question(style.cyan("> ")).catch(() => null), closed]);
      if (line === null) break;
      const prompt = line.trim();
      if (!prompt) continue;
      if (prompt === "/exit" || prompt === "/quit") break;
      history.push({ role: "user", content: prompt });
      turn = new AbortController();
      try {
        const reply = await streamReply(llm, history, terminalWriters(), turn.signal);
        process.stdout.write("\n");
        history.push({ role: "assistant", content: reply.text });
        process.stderr.write(`${errStyle.dim(summaryLine(reply))}\n`);
      } catch (error) {
        history.pop();
        const message = error instanceof AbortedError ? "(reply interrupted)" : describeError(error);
        process.stderr.write(`\n${errStyle.red(message)}\n`);
      } finally {
        turn = undefined;
      }
    }
  } finally {
    rl.close();
  }
}
