/**
 * The routing keys across sections: `fallbacks` and `deployments` name sections of the same file ("llm" for [llm],
 * NAME for [llm.NAME]), so they are checked once every section is built: each name exists, and following fallbacks
 * never comes back to where it started. Each built section also remembers the file's other sections (a WeakMap,
 * so nothing serialising a configuration reaches them), which is how `new LLM(config.llm)` finds its fallbacks.
 */
import type { ConfigError } from "../errors.js";
import { envVariableFor } from "./env.js";
import type { Locator } from "./locate.js";
import { suggestionFor } from "./suggest.js";
import type { LLMConfig } from "./types.js";

/** Every section of one file by the name routing uses: "llm" for [llm], NAME for [llm.NAME]. */
export type SectionTable = Readonly<Record<string, LLMConfig>>;

const TABLES = new WeakMap<LLMConfig, SectionTable>();

/** The sections of the file `config` was loaded from, or undefined for a configuration built by hand or copied. */
export function sectionsOf(config: LLMConfig): SectionTable | undefined {
  return TABLES.get(config);
}

/** "[llm]" or "[llm.NAME]". */
export function sectionLabel(name: string): string {
  return name === "llm" ? "[llm]" : `[llm.${name}]`;
}

type RoutingKey = "fallbacks" | "deployments";

function blame(locator: Locator, config: LLMConfig, key: RoutingKey, message: string): ConfigError {
  const name = config.section === "llm" ? "llm" : `llm.${config.section}`;
  if (config.provenance?.[key] === "env") return locator.inEnv(envVariableFor(key), `${name}.${key}`, message);
  return locator.inFile(config.section === "llm" ? ["llm", key] : ["llm", config.section, key], message);
}

function checkNames(table: SectionTable, config: LLMConfig, key: RoutingKey, locator: Locator): void {
  const known = Object.keys(table);
  for (const name of config[key] ?? []) {
    if (table[name]) continue;
    throw blame(
      locator,
      config,
      key,
      `${sectionLabel(config.section)} ${key} names "${name}", which is not a section of this file: ${suggestionFor(name, known)}`,
    );
  }
}

/** A fallback chain that comes back to a section already on it, as "llm -> backup -> llm", or undefined. */
function fallbackCycle(table: SectionTable, start: string): string[] | undefined {
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    onPath.add(name);
    path.push(name);
    for (const next of table[name]?.fallbacks ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return undefined;
  };
  return visit(start);
}

/** Checks the routing keys of every section and gives each section its table. */
export function checkRouting(llm: LLMConfig, llms: Record<string, LLMConfig>, locator: Locator): void {
  // [llm] first (errors about it come first), and it answers to "llm" even if a section [llm.llm] exists.
  const table: Record<string, LLMConfig> = { llm, ...llms };
  table.llm = llm;
  for (const config of Object.values(table)) {
    checkNames(table, config, "fallbacks", locator);
    checkNames(table, config, "deployments", locator);
  }
  for (const [name, config] of Object.entries(table)) {
    const cycle = fallbackCycle(table, name);
    if (!cycle) continue;
    throw blame(
      locator,
      config,
      "fallbacks",
      `${sectionLabel(name)} fallbacks come back to where they started (${cycle.join(" -> ")}): a call would go round in circles; remove one of these fallbacks`,
    );
  }
  for (const config of Object.values(table)) TABLES.set(config, table);
}
