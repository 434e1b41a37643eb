/** Routing tests: several sections on this file's emulator (regions of it, told apart by the SigV4 scope). */
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { configFromObject, LLM, type LLMOptions } from "../../src/index.js";
import type { EmulatorControl } from "../support/fixtures.js";
import { HAIKU_3 } from "./helpers.js";

export const ASK = {
  messages: [{ role: "user" as const, content: "one two three four five six seven eight nine ten" }],
};
export const ECHO = "Echo: one two three four five six seven eight nine ten";

export interface RoutedLLM {
  llm: LLM;
  /** Back-off waits the LLM asked for, in ms (recorded, not waited). */
  delays: number[];
  /** Moves the cooldown clock forward. */
  advance(ms: number): void;
}

/**
 * An LLM for [llm] of a file with `llm` as [llm]'s keys and `sections` as [llm.NAME] sections, all on the emulator
 * at `url` with the built-in keys, Claude 3 Haiku and two retries unless they say otherwise.
 */
export function routedLLM(
  url: string,
  llm: Record<string, unknown>,
  sections: Record<string, Record<string, unknown>> = {},
  options: LLMOptions = {},
): RoutedLLM {
  const config = configFromObject(
    {
      llm: {
        model: `bedrock/${HAIKU_3}`,
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: url,
        num_retries: 2,
        ...llm,
        ...sections,
      },
    },
    { env: {} },
  );
  const delays: number[] = [];
  let clock = 1_000_000;
  const routed = new LLM(config.llm, {
    onWarning: () => {},
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    now: () => clock,
    ...options,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { llm: routed, delays, advance };
}

/** The regions the emulator's model calls were signed for, in order. */
export async function regions(control: EmulatorControl, operation?: string): Promise<(string | undefined)[]> {
  return (await control.requests(operation)).filter((r) => r.modelId).map((r) => r.region);
}
