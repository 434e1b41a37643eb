/**
 * The `bedrock-llm models` table. Columns are ranked: when the table is wider than the terminal, the most useful
 * ones that fit are kept (the id always: it is what users copy), and a footer says what was left out.
 */
import type { ModelInfo } from "../models/types.js";
import { lifecycleLabel, lifecycleOn } from "./lifecycle.js";

interface Column {
  header: string;
  cell: (model: ModelInfo, now: number) => string;
}

const price = (n: number | undefined) => (n === undefined ? "-" : String(n));

/** 200000 -> "200K", 1000000 -> "1M", 3500000 -> "3.5M"; other numbers as they are. */
export function tokenCount(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}K`;
  return String(n);
}

/** In the order shown. `rank` orders them by usefulness, for a narrow terminal: 0 first. */
const COLUMNS: (Column & { rank: number })[] = [
  { rank: 0, header: "ID", cell: (m) => m.id },
  { rank: 5, header: "NAME", cell: (m) => m.name },
  { rank: 6, header: "CONTEXT", cell: (m) => tokenCount(m.contextWindow) },
  { rank: 4, header: "TOOLS", cell: (m) => (m.tools ? "yes" : "no") },
  {
    rank: 7,
    header: "CACHE",
    cell: (m) => (m.promptCaching ? `>=${m.promptCaching.minTokensPerCachePoint}` : "no"),
  },
  { rank: 8, header: "THINKING", cell: (m) => m.thinking },
  { rank: 11, header: "PROFILES", cell: (m) => m.geographies.join(",") || "-" },
  { rank: 1, header: "STATUS", cell: (m, now) => lifecycleLabel(lifecycleOn(m, now)) },
  { rank: 2, header: "IN $/1M", cell: (m) => price(m.pricing?.input) },
  { rank: 3, header: "OUT $/1M", cell: (m) => price(m.pricing?.output) },
  { rank: 9, header: "CACHE-R $/1M", cell: (m) => price(m.pricing?.cacheRead) },
  { rank: 10, header: "CACHE-W $/1M", cell: (m) => price(m.pricing?.cacheWrite) },
];

const GAP = 2;

export interface TableOptions {
  /** Terminal width in characters; undefined for no limit (output to a file or a pipe). */
  width?: number;
  bold?: (text: string) => string;
  now?: number;
}

export function modelTable(models: ModelInfo[], options: TableOptions = {}): string {
  const now = options.now ?? Date.now();
  const bold = options.bold ?? ((text: string) => text);
  const cells = COLUMNS.map((column) => ({
    column,
    values: models.map((model) => column.cell(model, now)),
  }));
  const sized = cells.map((c) => ({ ...c, width: Math.max(c.column.header.length, ...c.values.map((v) => v.length)) }));
  let shown = sized;
  if (options.width !== undefined) {
    // Most useful first, each column kept if it still fits; the id always.
    let used = -GAP;
    const kept = new Set<(typeof sized)[number]>();
    for (const column of [...sized].sort((a, b) => a.column.rank - b.column.rank)) {
      if (column.column.rank === 0 || used + GAP + column.width <= options.width) {
        kept.add(column);
        used += GAP + column.width;
      }
    }
    shown = sized.filter((column) => kept.has(column));
  }
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(shown[i]?.width ?? 0))
      .join(" ".repeat(GAP))
      .trimEnd();
  const rows = models.map((_, row) => line(shown.map((c) => c.values[row] ?? "")));
  const hidden = sized.filter((c) => !shown.includes(c)).map((c) => c.column.header.split(" ")[0]);
  const footer = hidden.length > 0 ? [`(not shown, for the terminal's width: ${hidden.join(", ")}; see --wide)`] : [];
  return `${[bold(line(shown.map((c) => c.column.header))), ...rows, ...footer].join("\n")}\n`;
}
