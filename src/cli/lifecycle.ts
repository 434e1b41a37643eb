/**
 * A model's lifecycle as of today: the registry records the state AWS announced and the end-of-life date, so a
 * "legacy" row whose date has passed is shown (and checked) as end of life, which is what Bedrock does with it.
 */
import type { Lifecycle, ModelInfo } from "../models/types.js";

export function lifecycleOn(info: ModelInfo, now: number = Date.now()): Lifecycle {
  if (info.lifecycle === "end_of_life") return "end_of_life";
  if (info.endOfLifeDate !== undefined && Date.parse(info.endOfLifeDate) <= now) return "end_of_life";
  return info.lifecycle;
}

/** "end of life", "legacy", "active": for people. */
export function lifecycleLabel(lifecycle: Lifecycle): string {
  return lifecycle.replaceAll("_", " ");
}
