/**
 * `bedrock-llm keys create | list | revoke | usage`: virtual keys, through the admin API of a running gateway
 * (--url, else $BEDROCK_LLM_GATEWAY_URL, else [server] host and port of the configuration, else
 * http://127.0.0.1:8080), authenticated with the admin key from $BEDROCK_LLM_ADMIN_KEY (never an argument, which
 * would stay in the shell's history). A created key is printed once, on stdout.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ADMIN_KEY_ENV } from "../gateway/keys/gate.js";
import type { KeyRecord } from "../store/gateway-store.js";
import { findConfigPath } from "./config-source.js";
import { runAction, UsageError } from "./exit.js";

export const GATEWAY_URL_ENV = "BEDROCK_LLM_GATEWAY_URL";

interface CommonOptions {
  url?: string;
  config?: string;
  adminKeyFile?: string;
  json?: boolean;
}

interface CreateOptions extends CommonOptions {
  models?: string;
  rpm?: string;
  tpm?: string;
  budget?: string;
  period?: string;
  expires?: string;
  expiresInDays?: string;
  meta: string[];
}

const EXAMPLES = `
Examples:
  $ export BEDROCK_LLM_ADMIN_KEY=...            # the key whose SHA-256 is [server] admin_key_sha256
  $ bedrock-llm keys create search-team --models default,haiku --rpm 600 --tpm 400000 \\
      --budget 250 --period month --meta team=search --meta owner=jane@example.com
  $ bedrock-llm keys list
  $ bedrock-llm keys usage search-team
  $ bedrock-llm keys revoke search-team

The gateway is --url, else $${GATEWAY_URL_ENV}, else [server] host and port of the configuration (-c).`;

export function registerKeys(program: Command): void {
  const keys = program
    .command("keys")
    .summary("create, list, revoke virtual keys and show their usage, on a running gateway")
    .description("Manage the virtual keys of a running gateway through its admin API (/admin/keys).")
    .addHelpText("after", EXAMPLES);
  const common = (command: Command) =>
    command
      .option("--url <url>", `the gateway's URL (default $${GATEWAY_URL_ENV}, else from the configuration)`)
      .option("-c, --config <file>", "configuration file giving [server] host and port")
      .option("--admin-key-file <file>", `a file holding the admin key (default $${ADMIN_KEY_ENV})`)
      .option("--json", "print the admin API's JSON answer");

  common(keys.command("create <name>").description("create a key; it is printed once"))
    .option("--models <names>", "comma-separated model names, [llm.NAME] sections or model ids (default: all)")
    .option("--rpm <n>", "requests per minute")
    .option("--tpm <n>", "tokens per minute")
    .option("--budget <usd>", "USD per budget period")
    .option("--period <period>", 'budget period: "day", "week", "month" or "<N>d" (default month)')
    .option("--expires <date>", "ISO date-time after which the key is refused")
    .option("--expires-in-days <n>", "days from now after which the key is refused")
    .option("--meta <name=value>", "a metadata label (repeatable), e.g. team=search", collect, [])
    .action(runAction(create));
  common(keys.command("list").description("list every key (without the keys themselves)")).action(runAction(list));
  common(keys.command("revoke <name>").description("revoke a key created through the admin API")).action(
    runAction(revoke),
  );
  common(
    keys.command("usage <name>").description("a key's limits, its use this minute and its spend per period"),
  ).action(runAction(usage));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function create(name: string, options: CreateOptions): Promise<void> {
  const body: Record<string, unknown> = { name };
  if (options.models)
    body.models = options.models
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
  if (options.rpm !== undefined) body.rpm = wholeNumber("--rpm", options.rpm);
  if (options.tpm !== undefined) body.tpm = wholeNumber("--tpm", options.tpm);
  if (options.budget !== undefined) body.budget_usd = amount("--budget", options.budget);
  if (options.period !== undefined) body.budget_period = options.period;
  if (options.expires !== undefined) body.expires = options.expires;
  if (options.expiresInDays !== undefined) body.expires_in_days = amount("--expires-in-days", options.expiresInDays);
  if (options.meta.length > 0) {
    body.metadata = Object.fromEntries(
      options.meta.map((pair) => {
        const at = pair.indexOf("=");
        if (at <= 0) throw new UsageError(`--meta takes name=value, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    );
  }
  const created = (await call(options, "POST", "/admin/keys", body)) as { key: string; name: string };
  if (options.json) return print(created);
  process.stdout.write(`${created.key}\n`);
  process.stderr.write(`Created key "${created.name}". It is shown only this once: store it now.\n`);
}

/** A key as the admin API lists it: its record, without the hash. */
type KeyView = Omit<KeyRecord, "key_sha256">;

async function list(options: CommonOptions): Promise<void> {
  const answer = (await call(options, "GET", "/admin/keys")) as { data: KeyView[] };
  if (options.json) return print(answer);
  const rows = answer.data.map((k) => [
    k.name,
    k.source,
    k.models?.join(",") ?? "*",
    k.rpm === undefined ? "-" : String(k.rpm),
    k.tpm === undefined ? "-" : String(k.tpm),
    k.budget_usd === undefined ? "-" : `${k.budget_usd}/${k.budget_period}`,
    k.expires ?? "-",
    Object.entries(k.metadata)
      .map(([name, value]) => `${name}=${value}`)
      .join(" "),
  ]);
  const header = ["NAME", "SOURCE", "MODELS", "RPM", "TPM", "BUDGET USD", "EXPIRES", "METADATA"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
}

async function revoke(name: string, options: CommonOptions): Promise<void> {
  const answer = await call(options, "DELETE", `/admin/keys/${encodeURIComponent(name)}`);
  if (options.json) return print(answer);
  process.stdout.write(`Revoked key "${name}".\n`);
}

interface UsageView {
  name: string;
  rpm: { limit: number | null; used: number };
  tpm: { limit: number | null; used: number };
  budget: { limit_usd: number | null; period: string; start: string; end: string; spend_usd: number };
  periods: { start: string; spend_usd: number }[];
}

async function usage(name: string, options: CommonOptions): Promise<void> {
  const u = (await call(options, "GET", `/admin/keys/${encodeURIComponent(name)}/usage`)) as UsageView;
  if (options.json) return print(u);
  const of = (limit: number | null) => (limit === null ? "no limit" : `of ${limit}`);
  const lines = [
    `key ${u.name}`,
    `this minute: ${u.rpm.used} requests (${of(u.rpm.limit)}), ${u.tpm.used} tokens (${of(u.tpm.limit)})`,
    `this ${u.budget.period} (${u.budget.start.slice(0, 10)} to ${u.budget.end.slice(0, 10)}): ${usd(u.budget.spend_usd)} USD (${u.budget.limit_usd === null ? "no budget" : `budget ${u.budget.limit_usd} USD`})`,
    ...u.periods.map((p) => `  period from ${p.start}: ${usd(p.spend_usd)} USD`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function usd(value: number): string {
  return value.toFixed(6);
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number >= 1, got "${text}"`);
  return value;
}

function amount(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} must be a number >= 0, got "${text}"`);
  return value;
}

/** One admin API call; an error answer becomes an error with the gateway's message. */
async function call(options: CommonOptions, method: string, path: string, body?: unknown): Promise<unknown> {
  const base = await gatewayUrl(options);
  const key = adminKey(options);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { "content-type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`cannot reach the gateway at ${base}: ${cause}`);
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  if (!response.ok) {
    const message = (answer as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 200);
    const hint =
      response.status === 404 && path === "/admin/keys" ? " (is an admin key configured on the gateway?)" : "";
    throw new Error(`the gateway answered ${response.status}: ${message}${hint}`);
  }
  return answer;
}

function adminKey(options: CommonOptions): string {
  const key = options.adminKeyFile ? readFileSync(options.adminKeyFile, "utf8").trim() : process.env[ADMIN_KEY_ENV];
  if (!key) throw new UsageError(`no admin key: set ${ADMIN_KEY_ENV} (or pass --admin-key-file FILE)`);
  return key;
}

async function gatewayUrl(options: CommonOptions): Promise<string> {
  const explicit = options.url ?? process.env[GATEWAY_URL_ENV];
  if (explicit) return explicit.replace(/\/+$/, "");
  const path = findConfigPath(options.config);
  if (!path) return "http://127.0.0.1:8080";
  const { loadConfig } = await import("../config/index.js");
  const { server } = await loadConfig(path, { env: process.env });
  const host = server.host === "0.0.0.0" || server.host === "::" ? "127.0.0.1" : server.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${server.port}`;
}
