/**
 * The line of every key and table in TOML text, found by a TOML parser that keeps positions (toml-eslint-parser),
 * so that errors point at the right line whatever the file's shape: dotted keys ("llm.model = ..." at the top
 * level, "sso.model = ..." under [llm]), inline tables, and key-like lines inside multi-line strings, which are text.
 */
import { type AST, parseTOML } from "toml-eslint-parser";

type Path = readonly (string | number)[];

function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((part) => (part.type === "TOMLBare" ? part.name : part.value));
}

export class KeyPositions {
  /** Line of each path, keyed by JSON of the path; the first place that defines a path wins. */
  private readonly lines = new Map<string, number>();

  constructor(text: string) {
    let program: AST.TOMLProgram;
    try {
      program = parseTOML(text, { tomlVersion: "1.1" });
    } catch {
      return; // not valid TOML for this parser: errors then carry no line rather than a wrong one
    }
    for (const node of program.body[0].body) {
      if (node.type === "TOMLTable") {
        this.record(keyNames(node.key), node.key.loc.start.line);
        for (const pair of node.body) this.pair(node.resolvedKey, pair);
      } else {
        this.pair([], node);
      }
    }
  }

  private record(path: Path, line: number): void {
    const id = JSON.stringify(path);
    if (!this.lines.has(id)) this.lines.set(id, line);
  }

  /** `a.b.c = value` under `table`: a, a.b and a.b.c are all defined on this line; inline tables recurse. */
  private pair(table: Path, pair: AST.TOMLKeyValue): void {
    const path = [...table, ...keyNames(pair.key)];
    const line = pair.key.loc.start.line;
    for (let end = table.length + 1; end <= path.length; end++) this.record(path.slice(0, end), line);
    if (pair.value.type === "TOMLInlineTable") for (const inner of pair.value.body) this.pair(path, inner);
  }

  /**
   * Best line for a path such as ["llm", "sso", "guardrail_config", "trace"]: the key itself, else the nearest
   * enclosing key or table that the text defines.
   */
  locate(path: readonly string[]): number | undefined {
    for (let end = path.length; end >= 1; end--) {
      const line = this.lines.get(JSON.stringify(path.slice(0, end)));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}
