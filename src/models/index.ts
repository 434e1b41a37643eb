/** Model ids, the capability and price registry, and cross-region resolution. */

export { CROSS_REGION_TARGETS, geographiesForRegion, homeGeography } from "./geography.js";
export { listModels, lookupAnthropicModel, lookupModel } from "./lookup.js";
export { BEDROCK_PREFIX, parseModelId } from "./parse.js";
export type { ResolveOptions } from "./resolve.js";
export { resolveModel } from "./resolve.js";
export { closestModelId } from "./suggest.js";
export type * from "./types.js";
