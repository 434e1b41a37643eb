/**
 * `bedrock-llm check`: is this configuration usable? Validates it, shows it redacted, which credentials are used
 * and whose they are, which model id goes on the wire and what it can do; --invoke makes one tiny call.
 */
import type { Command } from "commander";
import { getCallerIdentity, resolveAuth } from "../auth/index.js";
import { redact } from "../config/index.js";
import type { LLMConfig } from "../config/types.js";
import { ConfigError } from "../errors.js";
import { LLM } from "../llm/index.js";
import { resolveModel } from "../models/index.js";
import type { ModelInfo, ResolvedModel } from "../models/types.js";
import { loadCliConfig, selectLLMConfig } from "./config-source.js";
import { runAction } from "./exit.js";
import { styleFor } from "./style.js";
import { formatCost } from "./usage-line.js";

interface CheckOptions {
  config?: string;
  llm?: string;
  invoke?: boolean;
}

const EXAMPLES = `
Examples:
  $ bedrock-llm check -c config.toml
  $ bedrock-llm check -c config.toml --llm haiku --invoke

Exit status 0 when the configuration is usable, 2 when it is invalid, 1 when credentials or the call fail.`;

export function registerCheck(program: Command): void {
  program
    .command("check")
    .summary("validate a configuration and show what it resolves to")
    .description(
      "Validate the configuration, print it with secrets redacted, the credential method and caller identity, the model id sent after cross-region resolution, its capabilities and any notices.",
    )
    .option("-c, --config <file>", "configuration file (default ./config.toml, then $BEDROCK_LLM_CONFIG)")
    .option("--llm <name>", "check the [llm.NAME] section instead of [llm]")
    .option("--invoke", "also make one tiny Converse call")
    .addHelpText("after", EXAMPLES)
    .action(runAction(check));
}

async function check(options: CheckOptions): Promise<void> {
  const out = styleFor(process.stdout);
  const heading = (text: string) => process.stdout.write(`\n${out.bold(text)}\n`);
  const config = await loadCliConfig(options);
  const llmConfig = selectLLMConfig(config, options);
  process.stdout.write(`${out.green("✓")} configuration ${config.path ?? "(from the environment)"} is valid\n`);

  heading(
    `Effective configuration [${llmConfig.section === "llm" ? "llm" : `llm.${llmConfig.section}`}] (secrets redacted)`,
  );
  process.stdout.write(describeConfig(redact(llmConfig), out.dim));

  const resolved = resolveModel(llmConfig);
  heading("Model");
  process.stdout.write(`configured   ${llmConfig.model}\n`);
  process.stdout.write(`sent as      ${resolved.sentId}\n`);
  process.stdout.write(
    `registry     ${resolved.known ? resolved.info.name : "not in the registry (capabilities inferred)"}\n`,
  );
  process.stdout.write(describeCapabilities(resolved.info));
  for (const notice of resolved.notices) process.stdout.write(`${out.yellow("notice")}       ${notice}\n`);

  heading("Credentials");
  const auth = resolveAuth(llmConfig);
  process.stdout.write(`method       ${auth.method}\n`);
  process.stdout.write(`source       ${auth.description}\n`);
  process.stdout.write(`region       ${auth.region}\n`);
  if (auth.method === "bearer-token") {
    process.stdout.write("identity     (a Bedrock API key has no STS identity to show)\n");
  } else {
    const identity = await getCallerIdentity(llmConfig, auth);
    process.stdout.write(`account      ${identity.account ?? "?"}\n`);
    process.stdout.write(`identity     ${identity.arn ?? "?"}\n`);
  }

  if (options.invoke) {
    heading("Invoke");
    const llm = new LLM(llmConfig);
    const started = performance.now();
    // Tiny, unless thinking is configured: its budget needs room in max_tokens.
    const thinking = llmConfig.reasoning_effort !== undefined || llmConfig.thinking_budget_tokens !== undefined;
    const response = await llm.completion({
      messages: [{ role: "user", content: "Reply with OK." }],
      ...(thinking ? {} : { max_tokens: 16 }),
    });
    const latency = Math.round(performance.now() - started);
    const text = response.choices[0]?.message.content ?? "";
    process.stdout.write(`reply        ${JSON.stringify(text.slice(0, 80))}\n`);
    process.stdout.write(
      `usage        ${response.usage.prompt_tokens} in, ${response.usage.completion_tokens} out, ${formatCost(response.cost)}, ${latency} ms\n`,
    );
  }
  const refusal = pastEndOfLife(resolved.info)
    ? "has reached end of life and Bedrock refuses calls to it"
    : needsMissingProfile(resolved)
      ? "is not served on demand by its plain id and Bedrock refuses calls to it (see the notice above)"
      : undefined;
  if (refusal) {
    const key = llmConfig.section === "llm" ? "llm.model" : `llm.${llmConfig.section}.model`;
    throw new ConfigError(`${key}: ${resolved.info.name} ${refusal}`, {
      key,
      ...(config.path ? { file: config.path } : {}),
    });
  }
  process.stdout.write(`\n${out.green("✓")} usable\n`);
}

/** A registry model that Bedrock serves only through an inference profile, sent by its plain id. */
function needsMissingProfile(resolved: ResolvedModel): boolean {
  const { parsed, info, known, sentId } = resolved;
  return known && !info.onDemand && parsed.kind === "foundation" && sentId === (parsed.baseId ?? parsed.raw);
}

function pastEndOfLife(info: ModelInfo, now = Date.now()): boolean {
  if (info.lifecycle === "end_of_life") return true;
  return info.endOfLifeDate !== undefined && Date.parse(info.endOfLifeDate) <= now;
}

/** One `key = value` line per setting, TOML-style, with where the value came from (file, env, default...). */
function describeConfig(config: LLMConfig, dim: (text: string) => string): string {
  const { provenance, section: _section, ...values } = config as LLMConfig & { provenance?: Record<string, string> };
  const width = Math.max(...Object.keys(values).map((k) => k.length));
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const origin = provenance?.[key];
      return `${key.padEnd(width)} = ${JSON.stringify(value)}${origin ? dim(`  # ${origin}`) : ""}\n`;
    })
    .join("");
}

function describeCapabilities(info: ModelInfo): string {
  const yes = (on: boolean) => (on ? "yes" : "no");
  const caching = info.promptCaching
    ? `yes (min ${info.promptCaching.minTokensPerCachePoint} tokens, ttl ${info.promptCaching.ttls.join("/")})`
    : "no";
  const lines = [
    `context      ${info.contextWindow} tokens, max output ${info.maxOutputTokens}`,
    `tools        ${yes(info.tools)} (streaming tool use ${yes(info.streamingToolUse)})`,
    `images/docs  ${yes(info.images)} / ${yes(info.documents)}`,
    `caching      ${caching}`,
    `thinking     ${info.thinking}`,
    `on-demand    ${yes(info.onDemand)}${info.geographies.length ? `, profiles: ${info.geographies.join(", ")}` : ""}`,
    `lifecycle    ${info.lifecycle}${info.endOfLifeDate ? ` (end of life ${info.endOfLifeDate})` : ""}`,
  ];
  if (info.pricing) {
    const p = info.pricing;
    lines.push(
      `price/1M     in $${p.input}, out $${p.output}${p.cacheRead !== undefined ? `, cache read $${p.cacheRead}` : ""}${p.cacheWrite !== undefined ? `, cache write $${p.cacheWrite}` : ""}${p.cacheWrite1h !== undefined ? ` (1h: $${p.cacheWrite1h})` : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
