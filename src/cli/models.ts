/** `bedrock-llm models`: the registry as a table (or JSON) with capabilities and prices. */
import type { Command } from "commander";
import { listModels } from "../models/index.js";
import type { ModelInfo } from "../models/types.js";
import { runAction } from "./exit.js";
import { styleFor } from "./style.js";

const EXAMPLES = `
Examples:
  $ bedrock-llm models
  $ bedrock-llm models --json | jq '.[] | select(.promptCaching != null) | .id'

Prices are USD per million tokens, on demand, in the model's reference region.`;

export function registerModels(program: Command): void {
  program
    .command("models")
    .summary("list known models with capabilities and prices")
    .description("List the model registry: ids, capabilities, cross-region profiles, lifecycle and prices.")
    .option("--json", "print the registry as JSON")
    .addHelpText("after", EXAMPLES)
    .action(
      runAction(async (options: { json?: boolean }) => {
        const models = listModels();
        if (options.json) process.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
        else process.stdout.write(modelTable(models, styleFor(process.stdout).bold));
      }),
    );
}

const price = (n: number | undefined) => (n === undefined ? "-" : String(n));

export function modelTable(models: ModelInfo[], bold: (s: string) => string = (s) => s): string {
  const header = [
    "ID",
    "NAME",
    "CONTEXT",
    "TOOLS",
    "CACHE",
    "THINKING",
    "PROFILES",
    "STATUS",
    "IN",
    "OUT",
    "C.READ",
    "C.WRITE",
  ];
  const rows = models.map((m) => [
    m.id,
    m.name,
    String(m.contextWindow),
    m.tools ? "yes" : "no",
    m.promptCaching ? `>=${m.promptCaching.minTokensPerCachePoint}` : "no",
    m.thinking,
    m.geographies.join(",") || "-",
    m.lifecycle,
    price(m.pricing?.input),
    price(m.pricing?.output),
    price(m.pricing?.cacheRead),
    price(m.pricing?.cacheWrite),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${bold(line(header))}\n${rows.map(line).join("\n")}\n`;
}
