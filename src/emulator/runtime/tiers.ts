/** serviceTier and performanceConfig: checked against Bedrock's enums, echoed back as Bedrock does. */
import { constraint } from "./errors.js";
import type { ConverseBody, Turn } from "./shapes.js";

const SERVICE_TIERS = ["default", "flex", "priority", "reserved"];
const LATENCIES = ["standard", "optimized"];

export type Tiers = Pick<Turn, "serviceTier" | "performanceConfig">;

export function requestedTiers(body: ConverseBody): Tiers {
  const result: Tiers = {};
  if (body.serviceTier !== undefined) {
    const tier = body.serviceTier?.type;
    if (typeof tier !== "string" || !SERVICE_TIERS.includes(tier)) {
      throw constraint(tier, "serviceTier.type", `Member must satisfy enum value set: [${SERVICE_TIERS.join(", ")}]`);
    }
    result.serviceTier = { type: tier };
  }
  if (body.performanceConfig !== undefined) {
    const latency = body.performanceConfig?.latency;
    if (typeof latency !== "string" || !LATENCIES.includes(latency)) {
      throw constraint(
        latency,
        "performanceConfig.latency",
        `Member must satisfy enum value set: [${LATENCIES.join(", ")}]`,
      );
    }
    result.performanceConfig = { latency };
  }
  return result;
}
