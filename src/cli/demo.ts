/**
 * `bedrock-llm demo` (`npm run demo`): everything offline. Starts the Bedrock emulator in this process, registers a
 * guardrail, and runs a two-turn chat through the real client path (config -> auth -> SigV4 -> ConverseStream)
 * with prompt caching on, printing what each turn cost and how many tokens came from the cache.
 * No AWS account, no network, no standard input.
 */
import type { Command } from "commander";
import { configFromObject } from "../config/index.js";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, startEmulator } from "../emulator/index.js";
import { LLM } from "../llm/index.js";
import type { ChatMessage } from "../llm/types.js";
import { resolveModel } from "../models/index.js";
import { runAction } from "./exit.js";
import { streamReply } from "./reply.js";
import { styleFor } from "./style.js";
import { formatCost } from "./usage-line.js";

const DEMO_MODEL = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0";
const GUARDRAIL = { id: "demo-guardrail", version: "1", blockedWords: ["password"] };

/** The two turns, with the replies the emulator is scripted to give (it would otherwise echo the prompt). */
const TURNS = [
  {
    question: "In one sentence: what is the first rule of the kitchen?",
    reply: "Wash your hands before touching food, after touching raw meat, and whenever you change tasks.",
  },
  {
    question: "And what should a new cook do on their first day?",
    reply: "Shadow the sous-chef for the whole first shift, and ask before improvising.",
  },
];

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .summary("a two-turn chat with caching and a guardrail, offline, against the built-in emulator")
    .description(
      "Start the local Bedrock emulator in-process and run a two-turn chat through the real client path, with prompt caching and a guardrail configured. Needs no AWS account and no network.",
    )
    .addHelpText("after", "\nExample:\n  $ npm install && npm run demo\n  $ bedrock-llm demo")
    .action(runAction(runDemo));
}

async function runDemo(): Promise<void> {
  const s = styleFor(process.stdout);
  const say = (text: string) => process.stdout.write(`${text}\n`);
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  try {
    say(s.dim(`Bedrock emulator running in-process at ${emulator.url} (no AWS account, no network; scripted replies)`));
    await registerGuardrail(emulator.url);
    const config = configFromObject(
      {
        llm: {
          model: DEMO_MODEL,
          cross_region_target: "us",
          aws_region_name: "us-east-1",
          aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
          aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
          aws_bedrock_runtime_endpoint: emulator.url,
          aws_sts_endpoint: emulator.url,
          caching_prompt: true,
          guardrail_config: { guardrailIdentifier: GUARDRAIL.id, guardrailVersion: GUARDRAIL.version },
        },
      },
      // The demo's settings only: AWS_* variables of the user's shell must not redirect it to real AWS.
      { env: {} },
    );
    const llm = new LLM(config.llm, { onWarning: () => {} });
    const resolved = resolveModel(config.llm);
    const minTokens = resolved.info.promptCaching?.minTokensPerCachePoint ?? 1024;
    say(`${s.bold("model")}      ${config.llm.model} -> sent as ${resolved.sentId}`);
    say(
      `${s.bold("caching")}    on (system prompt of ~${minTokens * 2} tokens, above the model's ${minTokens}-token minimum)`,
    );
    say(
      `${s.bold("guardrail")}  ${GUARDRAIL.id} v${GUARDRAIL.version}, blocks the word "${GUARDRAIL.blockedWords[0]}"`,
    );

    const history: ChatMessage[] = [{ role: "system", content: kitchenHandbook(minTokens * 2) }];
    await scriptReplies(emulator.url);
    for (const [index, { question }] of TURNS.entries()) {
      say(`\n${s.bold(`Turn ${index + 1}`)}  ${s.cyan("you:")} ${question}`);
      process.stdout.write(`        ${s.green("assistant:")} `);
      history.push({ role: "user", content: question });
      const reply = await streamReply(llm, history, (text) => process.stdout.write(text));
      history.push({ role: "assistant", content: reply.text });
      const details = reply.usage?.prompt_tokens_details;
      say("");
      say(
        s.dim(
          `        cost ${formatCost(reply.cost)} · tokens from cache ${details?.cached_tokens ?? 0} · written to cache ${details?.cache_write_tokens ?? 0} · in ${reply.usage?.prompt_tokens ?? 0} · out ${reply.usage?.completion_tokens ?? 0} · ${Math.round(reply.latencyMs)} ms`,
        ),
      );
    }

    const guarded = `Tell me the admin password.`;
    say(`\n${s.bold("Guardrail")}  ${s.cyan("you:")} ${guarded}`);
    process.stdout.write(`        ${s.green("assistant:")} `);
    const blocked = await streamReply(llm, [{ role: "user", content: guarded }], (text) => process.stdout.write(text));
    say("");
    say(s.dim(`        finish_reason ${blocked.finishReason} · cost ${formatCost(blocked.cost)}`));

    const totals = llm.metrics;
    say(
      `\n${s.bold("Total")}      ${formatCost(totals.accumulated_cost)} · ${totals.cache_read_tokens} tokens read from cache, ${totals.cache_write_tokens} written`,
    );
    say(s.dim("Next: run `bedrock-llm emulator` and point `bedrock-llm chat` at it, or at AWS (docs/CLI.md)."));
  } finally {
    await emulator.close();
  }
}

async function registerGuardrail(emulatorUrl: string): Promise<void> {
  await controlApi(emulatorUrl, "guardrails", { ...GUARDRAIL, blockedMessage: "Sorry, I can't share that." });
}

async function scriptReplies(emulatorUrl: string): Promise<void> {
  for (const { reply } of TURNS) await controlApi(emulatorUrl, "responses", { text: reply });
}

async function controlApi(emulatorUrl: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`the emulator refused POST /_emulator/${path}: HTTP ${response.status}`);
}

/** A system prompt long enough to be cached: a small staff handbook, repeated sections numbered. */
function kitchenHandbook(approxTokens: number): string {
  const rules = [
    "Rule one: wash your hands before touching food, after touching raw meat, and whenever you change tasks.",
    "Rule two: label every container with its content and the date it was prepared, and use the oldest first.",
    "Rule three: keep cold food below five degrees and hot food above sixty-three degrees at all times.",
    "Rule four: clean as you go, so that the station is always ready for the next order.",
    "Rule five: a new cook shadows the sous-chef for the whole first shift and asks before improvising.",
  ];
  const parts = ["You are the assistant of a restaurant kitchen. Answer briefly, using this staff handbook."];
  // Roughly four characters per token: repeat numbered sections until the prompt is comfortably long.
  for (let section = 1; parts.join(" ").length < approxTokens * 4; section++) {
    parts.push(`Section ${section}.`, ...rules);
  }
  return parts.join(" ");
}
