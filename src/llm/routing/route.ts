/**
 * A section's route: its legs in the order a call tries them. The first leg is the section's own target, or its
 * deployments; then, for each name in `fallbacks`, that section's route in turn (depth first, each section once).
 * A deployment is used for its model, region, credentials and settings; its own fallbacks and deployments apply
 * when it is called by name, not as a deployment. Targets are shared by the legs they appear in, so a section
 * reached twice has one client and one cooldown.
 */
import { ROUTING_DEFAULTS, type SectionTable, sectionLabel } from "../../config/index.js";
import type { LLMConfig } from "../../config/types.js";
import { ConfigError } from "../../errors.js";
import { retrySettings } from "../retry.js";
import type { Runtime } from "../runtime.js";
import { Leg } from "./leg.js";
import { Target } from "./target.js";

/** The routing name of a section: "llm" for [llm], NAME for [llm.NAME]. */
export function sectionNameOf(config: LLMConfig): string {
  return !config.section || config.section === "llm" ? "llm" : config.section;
}

export class Route {
  readonly legs: readonly Leg[];
  readonly root: Target;
  private readonly targets = new Map<string, Target>();

  constructor(
    config: LLMConfig,
    private readonly sections: SectionTable | undefined,
    private readonly makeRuntime: (config: LLMConfig, root: boolean) => Runtime,
  ) {
    const name = sectionNameOf(config);
    this.root = this.target(name, config, true);
    const legs: Leg[] = [];
    const visited = new Set<string>();
    const visit = (section: string, own: LLMConfig) => {
      visited.add(section);
      legs.push(this.leg(section, own));
      for (const next of own.fallbacks ?? []) {
        if (!visited.has(next)) visit(next, this.config(next, section, "fallbacks"));
      }
    };
    visit(name, config);
    this.legs = legs;
  }

  /**
   * Readies every section of the route for `model` (Target.prepare): before a call's model is resolved. Undefined
   * when no section has anything to fetch (the usual case), so that the call goes on without an async step.
   */
  prepare(model?: string): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const target of this.targets.values()) {
      const preparing = target.prepare(model);
      if (!preparing) continue;
      pending ??= [];
      pending.push(preparing);
    }
    return pending && Promise.all(pending).then(() => undefined);
  }

  /** Every section a call may use, in route order. */
  get sectionNames(): string[] {
    return [...this.targets.keys()];
  }

  private leg(section: string, config: LLMConfig): Leg {
    const retry = retrySettings(config);
    const streamRecovery = config.stream_recovery ?? ROUTING_DEFAULTS.stream_recovery;
    if (!config.deployments) {
      return new Leg(section, [this.targetFor(section, config)], retry, undefined, streamRecovery);
    }
    const members = config.deployments.map((name) =>
      name === section
        ? this.targetFor(section, config)
        : this.targetFor(name, this.config(name, section, "deployments")),
    );
    const strategy = config.routing_strategy ?? ROUTING_DEFAULTS.routing_strategy;
    const cooldown = {
      first: config.cooldown_seconds ?? ROUTING_DEFAULTS.cooldown_seconds,
      longest: config.cooldown_max_seconds ?? ROUTING_DEFAULTS.cooldown_max_seconds,
    };
    return new Leg(section, members, retry, { strategy, cooldown }, streamRecovery);
  }

  private targetFor(name: string, config: LLMConfig): Target {
    return this.targets.get(name) ?? this.target(name, config, false);
  }

  private target(name: string, config: LLMConfig, root: boolean): Target {
    const target = new Target(name, config, config.weight ?? ROUTING_DEFAULTS.weight, () =>
      this.makeRuntime(config, root),
    );
    this.targets.set(name, target);
    return target;
  }

  /** The section a routing key names; the loader checked the names, so a miss means the sections are unknown. */
  private config(name: string, from: string, key: "fallbacks" | "deployments"): LLMConfig {
    const found = this.sections?.[name];
    if (found) return found;
    throw new ConfigError(
      this.sections
        ? `${sectionLabel(from)} ${key} names "${name}", which is not among the sections this LLM was given.`
        : `${sectionLabel(from)} has ${key}, but this configuration object does not know the file's other sections (it was built by hand or copied): pass the object loadConfig returned (config.llm, config.llms.NAME), or give new LLM(config, { sections }) the sections by name.`,
      { key: `${sectionLabel(from).slice(1, -1)}.${key}` },
    );
  }
}
