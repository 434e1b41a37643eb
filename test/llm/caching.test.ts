/**
 * Prompt caching in a long agent conversation: 30 tool-using turns under a system prompt of several thousand
 * tokens. With caching on, nearly all input after the first turn must be read from the cache.
 */
import { describe, expect } from "vitest";
import type { ChatMessage, FunctionTool } from "../../src/llm/types.js";
import type { EmulatorControl } from "../support/fixtures.js";
import { it, type LLMFor } from "./emulator.js";
import { filler, SONNET_45 } from "./helpers.js";

const TURNS = 30;
const SYSTEM_PROMPT = `You are a coding agent working in a large repository. ${filler(16_000, "policy")}`;
const TOOLS: FunctionTool[] = [
  {
    type: "function",
    function: {
      name: "run_command",
      description: "Runs a shell command in the repository and returns its output.",
      parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
    },
  },
];

interface RunResult {
  share: number;
  cost: number;
  promptTokens: number;
}

/** Runs the agent loop: every reply is a tool call whose (long-ish) output goes back in the next turn. */
async function runConversation(llmFor: LLMFor, control: EmulatorControl, caching: boolean): Promise<RunResult> {
  const llm = llmFor(SONNET_45, { caching_prompt: caching });
  for (let i = 0; i < TURNS; i += 1) {
    await control.respond({
      text: `Step ${i}: running a command.`,
      toolCalls: [{ name: "run_command", input: { command: `grep -rn step${i} src` }, id: `call_${i}` }],
    });
  }
  const messages: ChatMessage[] = [
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: "Find every TODO in the repository and fix the easy ones." },
  ];
  for (let i = 0; i < TURNS; i += 1) {
    const response = await llm.completion({ messages, tools: TOOLS });
    const message = response.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    expect(call?.function.name).toBe("run_command");
    messages.push({ role: "assistant", content: message?.content ?? null, tool_calls: message?.tool_calls ?? [] });
    messages.push({
      role: "tool",
      tool_call_id: call?.id ?? "",
      content: `output of step ${i}: ${filler(600, "line")}`,
    });
  }
  const metrics = llm.metrics;
  return {
    share: metrics.cache_read_tokens / metrics.prompt_tokens,
    cost: metrics.accumulated_cost,
    promptTokens: metrics.prompt_tokens,
  };
}

describe("prompt caching in a long agent conversation", () => {
  it("reads at least 80% of all input tokens from the cache, and costs less than without caching", async ({
    llmFor,
    control,
  }) => {
    const cached = await runConversation(llmFor, control, true);
    await control.reset();
    const uncached = await runConversation(llmFor, control, false);

    const requests = await control.requests();
    expect(requests).toHaveLength(TURNS);
    expect(JSON.stringify(requests.map((r) => r.body))).not.toContain("cachePoint");

    console.log(
      `caching: ${(cached.share * 100).toFixed(1)}% of ${cached.promptTokens} input tokens read from cache; ` +
        `cost $${cached.cost.toFixed(4)} with caching vs $${uncached.cost.toFixed(4)} without ` +
        `(${((cached.cost / uncached.cost) * 100).toFixed(0)}%)`,
    );
    expect(cached.promptTokens).toBe(uncached.promptTokens);
    expect(cached.share).toBeGreaterThanOrEqual(0.8);
    expect(uncached.share).toBe(0);
    expect(cached.cost).toBeLessThan(uncached.cost * 0.5);
  });

  it("never sends more than four cache points, each with the configured TTL", async ({ llmFor, control }) => {
    const llm = llmFor(SONNET_45, { caching_prompt: true, cache_ttl: "5m" });
    await llm.completion({
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: `first ${filler(2000)}` },
        { role: "assistant", content: "ok" },
        { role: "user", content: `second ${filler(2000)}` },
      ],
      tools: [{ type: "function", function: { name: "big", description: filler(6000), parameters: {} } }],
    });
    const [sent] = await control.requests();
    const points = JSON.stringify(sent?.body).match(/"cachePoint":\{[^}]*\}/g) ?? [];
    expect(points).toHaveLength(4);
    for (const point of points) expect(point).toContain('"ttl":"5m"');
  });

  it("follows the model's caching rules: Nova caches no tools and only for 5 minutes", async ({ llmFor, control }) => {
    const llm = llmFor("amazon.nova-pro-v1:0", { caching_prompt: true });
    const messages: ChatMessage[] = [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: "first question" },
    ];
    const first = await llm.completion({ messages, tools: TOOLS });
    const second = await llm.completion({ messages, tools: TOOLS });
    expect(first.usage.prompt_tokens_details.cache_write_tokens).toBeGreaterThan(0);
    expect(second.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    const [sent] = await control.requests();
    const body = sent?.body as { toolConfig: { tools: unknown[] }; system: unknown[] };
    expect(JSON.stringify(body.toolConfig)).not.toContain("cachePoint");
    expect(body.system.at(-1)).toEqual({ cachePoint: { type: "default", ttl: "5m" } });
  });
});
