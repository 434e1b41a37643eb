// STUB (contract): the config/models helper replaces the bodies, keeping these exported names and signatures.
import type { LLMConfig } from "../config/types.js";
import type { ModelInfo, ParsedModelId, ResolvedModel } from "./types.js";

export type * from "./types.js";

/** Parses what follows "bedrock/" (or a whole "bedrock/..." string). */
export function parseModelId(_model: string): ParsedModelId {
  throw new Error("not implemented");
}

/** Registry entry for a base id, a profile id, or an ARN naming one. */
export function lookupModel(_id: string): ModelInfo | undefined {
  return undefined;
}

/** The whole registry, in display order. */
export function listModels(): ModelInfo[] {
  return [];
}

/** Model + region + cross_region_target -> the id actually sent, with capabilities. Throws ConfigError. */
export function resolveModel(
  _config: Pick<LLMConfig, "model" | "aws_region_name" | "cross_region_target" | "base_model" | "capabilities">,
): ResolvedModel {
  throw new Error("not implemented");
}
