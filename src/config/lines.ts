/**
 * Finds the line of a key in TOML text, so errors can point at it. TOML parsers return values, not positions,
 * so this scans the text: table headers ("[llm.sso]"), then "key =" lines inside the matching table, including
 * dotted keys ("guardrail_config.trace = ...") and sub-tables ("[llm.guardrail_config]").
 */

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;

function normaliseHeader(raw: string): string {
  return raw
    .split(".")
    .map((part) => part.trim().replace(/^["']|["']$/g, ""))
    .join(".");
}

function keyPattern(key: string): RegExp {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\s*(["']?)${escaped}\\1\\s*[=.]`);
}

export class LineFinder {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }

  /** 1-based line of the header "[table]", if present. */
  header(table: string): number | undefined {
    for (let i = 0; i < this.lines.length; i++) {
      const match = HEADER.exec(this.lines[i] as string);
      if (match && normaliseHeader(match[1] as string) === table) return i + 1;
    }
    return undefined;
  }

  /** 1-based line of `key` directly inside `table` ("" for the top level). */
  keyIn(table: string, key: string): number | undefined {
    let current = "";
    const pattern = keyPattern(key);
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i] as string;
      const header = HEADER.exec(line);
      if (header) {
        current = normaliseHeader(header[1] as string);
        continue;
      }
      if (current === table && pattern.test(line)) return i + 1;
    }
    return undefined;
  }

  /**
   * Best line for a dotted path such as ["llm", "sso", "guardrail_config", "trace"]: the key itself, else its
   * parent table or key, walking up until something is found.
   */
  locate(path: readonly string[]): number | undefined {
    for (let end = path.length; end >= 1; end--) {
      const table = path.slice(0, end - 1).join(".");
      const key = path[end - 1] as string;
      const asKey = this.keyIn(table, key);
      if (asKey !== undefined) return asKey;
      const asHeader = this.header(path.slice(0, end).join("."));
      if (asHeader !== undefined) return asHeader;
    }
    return undefined;
  }
}
