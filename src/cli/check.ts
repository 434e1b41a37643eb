/**
 * `bedrock-llm check`: is this configuration usable? Validates it, shows it redacted, which credentials are used
 * and whose they are, which model id goes on the wire and what it can do; --invoke makes one tiny call.
 */
import type { Command } from "commander";
import { getCallerIdentity, type ResolvedAuth, resolveAuth } from "../auth/index.js";
import { redact, sectionsOf } from "../config/index.js";
import type { LLMConfig } from "../config/types.js";
import { ConfigError, CredentialsError } from "../errors.js";
import { applicationProfileArn, describeResolution, resolveApplicationProfile } from "../llm/application-profiles.js";
import { describeRoute, LLM } from "../llm/index.js";
import { resolveModel } from "../models/index.js";
import type { ModelInfo, ResolvedModel } from "../models/types.js";
import { loadCliConfig, selectLLMConfig } from "./config-source.js";
import { runAction, UsageError } from "./exit.js";
import { lifecycleLabel, lifecycleOn } from "./lifecycle.js";
import { styleFor } from "./style.js";
import { formatCost } from "./usage-line.js";

interface CheckOptions {
  config?: string;
  llm?: string;
  invoke?: boolean;
  identity?: boolean;
}

const EXAMPLES = `
Examples:
  $ bedrock-llm check -c config.toml
  $ bedrock-llm check -c config.toml --llm haiku --invoke

Exit status 0 when the configuration is usable, 2 when it is invalid, 1 when credentials or the call fail.
An unreachable STS only leaves the caller identity unverified (Bedrock calls do not need STS): a notice, and
exit 0, unless --identity asks for the identity or --invoke's call fails.`;

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
    .option("--identity", "fail when the caller identity cannot be looked up (STS unreachable)")
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

  // An application inference profile: its model, from GetInferenceProfile (unless base_model names it).
  const profileArn = applicationProfileArn(llmConfig);
  const profile = profileArn ? await resolveApplicationProfile(profileArn, llmConfig) : undefined;
  const resolved = resolveModel(profile?.baseModel ? { ...llmConfig, base_model: profile.baseModel } : llmConfig);
  heading("Model");
  process.stdout.write(`configured   ${llmConfig.model}\n`);
  if (profile) {
    const line = describeResolution(profile);
    process.stdout.write(`profile      ${profile.error ? out.yellow(line) : line}\n`);
  }
  process.stdout.write(`sent as      ${resolved.sentId}\n`);
  process.stdout.write(
    `registry     ${resolved.known ? resolved.info.name : "not in the registry (capabilities inferred)"}\n`,
  );
  process.stdout.write(describeCapabilities(resolved.info));
  for (const notice of resolved.notices) process.stdout.write(`${out.yellow("notice")}       ${notice}\n`);

  const route = describeRoute(llmConfig, sectionsOf(llmConfig));
  if (route.length > 0) {
    heading("Routing");
    process.stdout.write(`${route.join("\n")}\n`);
  }

  heading("Credentials");
  const auth = resolveAuth(llmConfig);
  process.stdout.write(`method       ${auth.method}\n`);
  process.stdout.write(`source       ${auth.description}\n`);
  process.stdout.write(`region       ${auth.region}\n`);
  const identityFailure = await reportIdentity(llmConfig, auth, options.identity === true, out.yellow);

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
  const refusal =
    lifecycleOn(resolved.info) === "end_of_life"
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
  const caveat = identityFailure ? " (caller identity not verified; see above)" : "";
  process.stdout.write(`\n${out.green("✓")} usable${caveat}\n`);
}

/**
 * Prints the caller identity (STS GetCallerIdentity). Obtaining credentials and looking up whose they are are two
 * steps: when the credentials are in hand (static keys need no fetching) but STS cannot be reached, only the
 * lookup failed, and Bedrock calls, which never go through STS, may well work. That is a notice, not a failure,
 * unless --identity asked for the identity. Returns the failure it forgave, if any.
 */
async function reportIdentity(
  config: LLMConfig,
  auth: ResolvedAuth,
  required: boolean,
  yellow: (text: string) => string,
): Promise<string | undefined> {
  if (!auth.credentials) {
    process.stdout.write("identity     (a Bedrock API key has no STS identity to show)\n");
    if (required) throw new UsageError("--identity: a Bedrock API key has no STS identity to look up");
    return undefined;
  }
  await auth.credentials(); // a failure here is a credentials failure: they could not be obtained
  try {
    const identity = await getCallerIdentity(config, auth);
    process.stdout.write(`account      ${identity.account ?? "?"}\n`);
    process.stdout.write(`identity     ${identity.arn ?? "?"}\n`);
    return undefined;
  } catch (error) {
    // An answer from AWS (keys refused, expired token...) is a verdict on the credentials: always a failure.
    if (!(error instanceof CredentialsError) || error.statusCode !== undefined) throw error;
    const sts = config.aws_sts_endpoint ?? `https://sts.${auth.region}.amazonaws.com`;
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    const fetched =
      auth.method === "static-keys" || auth.method === "session-token"
        ? "the keys are used as configured and were not fetched from anywhere"
        : `the credentials were obtained (${auth.description})`;
    const unreachable = `STS at ${sts} could not be reached (${reason})`;
    if (required) {
      throw new CredentialsError(
        `The caller identity could not be looked up: ${unreachable}. Only this lookup failed: ${fetched}, and Bedrock calls do not go through STS. Set aws_sts_endpoint to a reachable STS, or drop --identity.`,
        { method: auth.method },
      );
    }
    process.stdout.write(`identity     ${yellow("not verified")}: ${unreachable}.\n`);
    process.stdout.write(`             Only this lookup failed: ${fetched}.\n`);
    process.stdout.write(
      "             Bedrock calls do not go through STS: --invoke tries one; --identity makes the lookup required.\n",
    );
    return unreachable;
  }
}

/** A registry model that Bedrock serves only through an inference profile, sent by its plain id. */
function needsMissingProfile(resolved: ResolvedModel): boolean {
  const { parsed, info, known, sentId } = resolved;
  return known && !info.onDemand && parsed.kind === "foundation" && sentId === (parsed.baseId ?? parsed.raw);
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
    `lifecycle    ${lifecycleLabel(lifecycleOn(info))}${info.endOfLifeDate ? ` (end of life ${info.endOfLifeDate})` : ""}`,
  ];
  if (info.pricing) {
    const p = info.pricing;
    lines.push(
      `price/1M     in $${p.input}, out $${p.output}${p.cacheRead !== undefined ? `, cache read $${p.cacheRead}` : ""}${p.cacheWrite !== undefined ? `, cache write $${p.cacheWrite}` : ""}${p.cacheWrite1h !== undefined ? ` (1h: $${p.cacheWrite1h})` : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
