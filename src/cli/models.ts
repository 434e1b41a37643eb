/** `bedrock-llm models`: the registry as a table (or JSON) with capabilities and prices, optionally filtered. */
import type { Command } from "commander";
import { listModels } from "../models/index.js";
import { runAction } from "./exit.js";
import { lifecycleOn } from "./lifecycle.js";
import { CAPABILITIES, filterModels } from "./model-filter.js";
import { modelTable } from "./model-table.js";
import { styleFor } from "./style.js";

interface ModelsOptions {
  json?: boolean;
  wide?: boolean;
  provider?: string;
  capability: string[];
}

const EXAMPLES = `
Examples:
  $ bedrock-llm models
  $ bedrock-llm models sonnet                            # id or name contains "sonnet"
  $ bedrock-llm models --provider amazon --capability tools,caching
  $ bedrock-llm models --json | jq -r '.[] | select(.promptCaching != null) | .id'

Prices are USD per million tokens ($/1M), on demand, in the model's reference region (us-east-1, or the global
profile for models served only through profiles). STATUS "end of life" means Bedrock refuses calls to the model.
On a terminal the table fits its width by leaving out the least useful columns; --wide keeps them all.`;

/** "tools,caching" and repeated options both add to the list. */
const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
];

export function registerModels(program: Command): void {
  program
    .command("models")
    .summary("list known models with capabilities and prices")
    .description("List the model registry: ids, capabilities, cross-region profiles, lifecycle and prices.")
    .argument("[text]", "only models whose id or name contains this text (case-insensitive)")
    .option("--provider <name>", "only this provider's models (anthropic, amazon, meta, mistral, ...)")
    .option(
      "--capability <names>",
      `only models with these capabilities, comma-separated or repeated: ${Object.keys(CAPABILITIES).join(", ")}`,
      collect,
      [],
    )
    .option("--wide", "every column, however wide the terminal")
    .option("--json", "print the models as JSON (every field)")
    .addHelpText("after", EXAMPLES)
    .action(
      runAction(async (text: string | undefined, options: ModelsOptions) => {
        const now = Date.now();
        const models = filterModels(listModels(), {
          ...(text !== undefined && { text }),
          ...(options.provider !== undefined && { provider: options.provider }),
          capabilities: options.capability,
        });
        if (options.json) {
          const current = models.map((model) => ({ ...model, lifecycle: lifecycleOn(model, now) }));
          process.stdout.write(`${JSON.stringify(current, null, 2)}\n`);
          return;
        }
        if (models.length === 0) {
          process.stderr.write("no model matches: `bedrock-llm models` lists them all\n");
          return;
        }
        const width = options.wide ? undefined : terminalWidth(process.stdout);
        const bold = styleFor(process.stdout).bold;
        process.stdout.write(modelTable(models, { now, bold, ...(width !== undefined && { width }) }));
      }),
    );
}

/** The terminal's width, or undefined (no limit) when stdout is a file or a pipe, as `ls` does. */
function terminalWidth(stream: NodeJS.WriteStream): number | undefined {
  if (!stream.isTTY) return undefined;
  return stream.columns > 0 ? stream.columns : 80;
}
