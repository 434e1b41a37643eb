/** `bedrock-llm chat`: one prompt (argument or stdin) or, on a terminal, a conversation. */
import type { Command } from "commander";
import { LLM } from "../llm/index.js";
import type { ChatMessage } from "../llm/types.js";
import { loadCliConfig, selectLLMConfig } from "./config-source.js";
import { runAction, UsageError } from "./exit.js";
import { runRepl } from "./repl.js";
import { streamReply, terminalWriters } from "./reply.js";
import { summaryLine } from "./usage-line.js";

interface ChatOptions {
  config?: string;
  llm?: string;
  model?: string;
  system?: string;
  stream: boolean;
  json?: boolean;
  countTokens?: boolean;
}

const EXAMPLES = `
Examples:
  $ bedrock-llm chat "Name three rivers in Europe"
  $ echo "Summarise this" | bedrock-llm chat -c config.toml --llm haiku
  $ bedrock-llm chat --model us.anthropic.claude-sonnet-4-5-20250929-v1:0 --system "Answer in French" "Hello"
  $ bedrock-llm chat --json --no-stream "Hi"          # the OpenAI-shaped response as JSON
  $ bedrock-llm chat --count-tokens "How long is this?" # input tokens (Bedrock's CountTokens), nothing sent
  $ bedrock-llm chat                                  # on a terminal: a conversation (/help lists its commands)

The configuration is -c FILE, else ./config.toml, else $BEDROCK_LLM_CONFIG.
After each reply one line on stderr shows tokens (input, output, cache read, cache write), cost and latency.`;

export function registerChat(program: Command): void {
  program
    .command("chat")
    .summary("send a prompt to the configured model, or chat on a terminal")
    .description("Send a prompt to the configured Bedrock model and stream the reply.")
    .argument("[prompt...]", "the prompt; read from stdin when omitted and stdin is not a terminal")
    .option("-c, --config <file>", "configuration file (default ./config.toml, then $BEDROCK_LLM_CONFIG)")
    .option("--llm <name>", "use the [llm.NAME] section instead of [llm]")
    .option("--model <id>", "model id to use instead of the configured one (bedrock/ prefix optional)")
    .option("--system <text>", "system prompt")
    .option("--no-stream", "wait for the whole reply instead of streaming it")
    .option("--json", "print the OpenAI-shaped chat.completion JSON (implies --no-stream)")
    .option(
      "--count-tokens",
      "count the prompt's input tokens (Bedrock's CountTokens, else an estimate) instead of sending it",
    )
    .addHelpText("after", EXAMPLES)
    .action(
      runAction(async (promptWords: string[], options: ChatOptions) => {
        const config = await loadCliConfig(options);
        const llm = new LLM(selectLLMConfig(config, options));
        const system: ChatMessage[] = options.system ? [{ role: "system", content: options.system }] : [];
        let prompt = promptWords.join(" ");
        if (!prompt) {
          if (process.stdin.isTTY && !options.countTokens) {
            await runRepl(llm, system);
            return;
          }
          prompt = (await readStdin()).trim();
          if (!prompt) throw new UsageError("no prompt: give it as an argument or on standard input");
        }
        const messages: ChatMessage[] = [...system, { role: "user", content: prompt }];
        if (options.countTokens) await printTokenCount(llm, messages, options.json === true);
        else await answerOnce(llm, messages, options);
      }),
    );
}

async function answerOnce(llm: LLM, messages: ChatMessage[], options: ChatOptions): Promise<void> {
  if (options.json || !options.stream) {
    const started = performance.now();
    const response = await llm.completion({ messages });
    const latencyMs = performance.now() - started;
    const choice = response.choices[0];
    if (options.json) process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    else process.stdout.write(`${choice?.message.content ?? ""}\n`);
    process.stderr.write(
      `${summaryLine({ usage: response.usage, cost: response.cost, latencyMs, finishReason: choice?.finish_reason })}\n`,
    );
    return;
  }
  const writers = terminalWriters();
  const reply = await streamReply(llm, messages, writers).catch((error: unknown) => {
    writers.endLine(); // the error goes on its own line, not after the partial reply
    throw error;
  });
  process.stdout.write("\n");
  process.stderr.write(`${summaryLine(reply)}\n`);
}

async function printTokenCount(llm: LLM, messages: ChatMessage[], json: boolean): Promise<void> {
  const count = await llm.countTokens({ messages });
  if (json) {
    process.stdout.write(`${JSON.stringify(count, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${count.input_tokens}\n`);
  const how =
    count.source === "bedrock"
      ? `input tokens for ${count.model}, counted by Bedrock (CountTokens)`
      : `input tokens for ${count.model}, estimated locally: ${count.reason ?? "Bedrock could not count them"}`;
  process.stderr.write(`${how}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
