/**
 * A section's route in words, for `bedrock-llm check`: each leg in the order a call tries it, with the model id
 * sent, the region, the retries, and for deployments the strategy, weights, cooldown and stream recovery. Built
 * from the same Route a call uses, without resolving any credentials.
 */
import { type SectionTable, sectionLabel } from "../../config/index.js";
import type { LLMConfig } from "../../config/types.js";
import { resolveModel } from "../../models/index.js";
import type { Runtime } from "../runtime.js";
import type { Leg } from "./leg.js";
import { Route } from "./route.js";
import type { Target } from "./target.js";

const NO_RUNTIME = (): Runtime => {
  throw new Error("describing a route resolves no credentials");
};

function sentId(config: LLMConfig): string {
  try {
    return resolveModel(config).sentId;
  } catch {
    return config.model.replace(/^bedrock\//, "");
  }
}

function retries(leg: Leg): string {
  const count = leg.retry.numRetries;
  return `${count} ${count === 1 ? "retry" : "retries"}`;
}

function recovery(leg: Leg): string {
  return leg.streamRecovery ? "; stream recovery on" : "";
}

function where(target: Target): string {
  return `${sentId(target.config)} in ${target.config.aws_region_name ?? "(default region)"}`;
}

/** The route of `config` as lines of text, or no lines when the section routes nowhere but to itself. */
export function describeRoute(config: LLMConfig, sections: SectionTable | undefined): string[] {
  if (!config.fallbacks && !config.deployments) return [];
  const route = new Route(config, sections, NO_RUNTIME);
  const lines = ["A call tries each line in turn, going on when the one before has spent its retries:"];
  route.legs.forEach((leg, index) => {
    const step = `${index + 1}.`;
    if (!leg.deployments) {
      lines.push(
        `${step} ${sectionLabel(leg.section)}: ${where(leg.targets[0] as Target)}, ${retries(leg)}${recovery(leg)}`,
      );
      return;
    }
    const { strategy, cooldown } = leg.deployments;
    lines.push(
      `${step} ${sectionLabel(leg.section)} deployments, ${strategy}, ${retries(leg)}; cooldown ${cooldown.first} s doubling to ${cooldown.longest} s${recovery(leg)}`,
    );
    const width = Math.max(...leg.targets.map((target) => sectionLabel(target.name).length));
    for (const target of leg.targets) {
      const weight = strategy === "weighted" ? `, weight ${target.weight}` : "";
      lines.push(`     ${sectionLabel(target.name).padEnd(width)}  ${where(target)}${weight}`);
    }
  });
  lines.push(
    "Goes on after: throttling, quota, service unavailable or internal errors, model not ready or timed out, a context window too small, connection failures; never after validation or access errors.",
  );
  return lines;
}
