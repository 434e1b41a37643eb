/** Routing tests: one emulator, several sections (regions of it, told apart by the SigV4 scope), recorded waits. */
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import type { RecordedRequest } from "../../src/emulator/types.js";
import { configFromObject, LLM, type LLMOptions } from "../../src/index.js";
import type { EmulatorHandle } from "./emulator.js";
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
 * with the built-in keys, Claude 3 Haiku and quick retries unless they say otherwise.
 */
export function routedLLM(
  bedrock: EmulatorHandle,
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
        aws_bedrock_runtime_endpoint: bedrock.emulator.url,
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
export async function regions(bedrock: EmulatorHandle, operation?: string): Promise<(string | undefined)[]> {
  const requests: RecordedRequest[] = await bedrock.requests();
  return requests.filter((r) => (operation ? r.operation === operation : r.modelId)).map((r) => r.region);
}
