/**
 * The slash commands of the interactive chat. A line that starts with "/" is a command, never a prompt: an unknown
 * one is refused rather than sent to the model as a billed prompt ("//" sends a prompt that starts with "/").
 */
import type { LLM } from "../llm/index.js";
import type { ChatMessage } from "../llm/types.js";
import { resolveModel } from "../models/index.js";
import { withBedrockPrefix } from "./config-source.js";
import { describeError } from "./exit.js";
import { formatCost } from "./usage-line.js";

export interface ReplSession {
  llm: LLM;
  /** The system prompt, kept by /clear. */
  system: ChatMessage[];
  history: ChatMessage[];
  /** The model chosen with /model, sent with each request; undefined for the configured one. */
  model?: string;
}

export interface CommandOutput {
  info(text: string): void;
  error(text: string): void;
}

const HELP = `/help          this list
/model [ID]    show the model, or use another one from the next turn on (the conversation is kept)
/cost          tokens and cost of this conversation so far
/clear         start a new conversation (the system prompt stays)
/exit          leave (also /quit or Ctrl-D); Ctrl-C interrupts a reply
A line starting with / is a command; start it with // to send a prompt that begins with /.`;

/** What the line is: a prompt for the model (with "//" unescaped) or a command. */
export function classify(line: string): { prompt: string } | { command: string; argument: string } {
  if (line.startsWith("//")) return { prompt: line.slice(1) };
  if (!line.startsWith("/")) return { prompt: line };
  const [command = "", ...rest] = line.slice(1).split(/\s+/);
  return { command: command.toLowerCase(), argument: rest.join(" ").trim() };
}

/** Runs one command; returns "exit" when the conversation should end. */
export function runCommand(
  command: string,
  argument: string,
  session: ReplSession,
  out: CommandOutput,
): "exit" | undefined {
  switch (command) {
    case "exit":
    case "quit":
      return "exit";
    case "help":
      out.info(HELP);
      return undefined;
    case "clear":
      session.history.splice(0, session.history.length, ...session.system);
      out.info("(new conversation: earlier turns forgotten, the system prompt kept)");
      return undefined;
    case "cost":
      out.info(costLine(session.llm));
      return undefined;
    case "model":
      if (argument) switchModel(argument, session, out);
      else out.info(modelLine(session));
      return undefined;
    default:
      out.error(
        `unknown command /${command} (nothing was sent to the model): /help lists the commands; start a prompt with // to send one that begins with /`,
      );
      return undefined;
  }
}

function modelLine(session: ReplSession): string {
  const config = { ...session.llm.config, ...(session.model && { model: session.model }) };
  try {
    const resolved = resolveModel(config);
    const name = resolved.known ? resolved.info.name : "not in the registry";
    return `${config.model} (sent as ${resolved.sentId}; ${name})`;
  } catch {
    return config.model;
  }
}

function switchModel(id: string, session: ReplSession, out: CommandOutput): void {
  try {
    const model = withBedrockPrefix(id, "/model");
    const resolved = resolveModel({ ...session.llm.config, model }); // refuses a region or profile mismatch now
    session.model = model === session.llm.config.model ? undefined : model;
    out.info(`(model ${model}, sent as ${resolved.sentId}, from the next turn on)`);
    for (const notice of resolved.notices) out.error(`notice: ${notice}`);
  } catch (error) {
    out.error(`${describeError(error)} (model unchanged)`);
  }
}

function costLine(llm: LLM): string {
  const m = llm.metrics;
  const calls = m.calls.length;
  return `${calls} ${calls === 1 ? "reply" : "replies"} · tokens in ${m.prompt_tokens} (cache read ${m.cache_read_tokens}, cache write ${m.cache_write_tokens}) · out ${m.completion_tokens} · ${formatCost(m.accumulated_cost)}`;
}
