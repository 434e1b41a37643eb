/**
 * A three-turn tool-use loop with reasoning on, as an agent written for the OpenAI shape runs it: the assistant
 * message (with its thinking_blocks) goes back unchanged each turn. The emulator verifies the signatures and that
 * the tool-use turn starts with its thinking block, so every accepted turn proves the round trip.
 */
import { describe, expect } from "vitest";
import type { AssistantMessage, ChatMessage, FunctionTool } from "../../src/llm/types.js";
import type { EmulatorControl } from "../support/fixtures.js";
import { collect, it, type LLMFor } from "./emulator.js";
import { SONNET_45, SONNET_46 } from "./helpers.js";

const TOOLS: FunctionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

async function toolLoop(
  llmFor: LLMFor,
  control: EmulatorControl,
  model: string,
  stream: boolean,
): Promise<AssistantMessage[]> {
  await control.respond({ toolCalls: [{ name: "get_weather", input: { city: "Paris" } }] });
  await control.respond({ toolCalls: [{ name: "get_weather", input: { city: "Rome" } }] });
  await control.respond({ text: "Paris is sunny, Rome is rainy." });
  const warnings: string[] = [];
  const llm = llmFor(model, { temperature: 0.7 }, { onWarning: (m) => warnings.push(m) });
  const messages: ChatMessage[] = [{ role: "user", content: "Compare the weather in Paris and Rome." }];
  const replies: AssistantMessage[] = [];
  for (let turn = 0; turn < 3; turn += 1) {
    const request = { messages, tools: TOOLS, reasoning_effort: "medium" as const };
    let reply: AssistantMessage;
    if (stream) {
      const result = await collect(llm.stream(request));
      expect(result.reasoning.length).toBeGreaterThan(0);
      reply = {
        role: "assistant",
        content: result.text || null,
        thinking_blocks: result.thinking,
        ...(result.calls.length > 0
          ? {
              tool_calls: result.calls.map((c) => ({
                id: c.id,
                type: "function" as const,
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      };
    } else {
      const response = await llm.completion(request);
      const { content, tool_calls, thinking_blocks, reasoning_content } = response.choices[0]?.message ?? {};
      expect(reasoning_content?.length).toBeGreaterThan(0);
      reply = { role: "assistant", content: content ?? null, thinking_blocks, ...(tool_calls ? { tool_calls } : {}) };
    }
    expect(reply.thinking_blocks?.[0]?.signature).toBeTruthy();
    replies.push(reply);
    messages.push(reply);
    for (const call of reply.tool_calls ?? []) {
      const city = JSON.parse(call.function.arguments).city as string;
      messages.push({ role: "tool", tool_call_id: call.id, content: city === "Paris" ? "sunny" : "rainy" });
    }
  }
  // temperature is dropped (thinking refuses it) with one warning for the three calls.
  expect(warnings.filter((w) => w.includes("temperature"))).toHaveLength(1);
  return replies;
}

describe.each([
  { name: "adaptive thinking (Sonnet 4.6)", model: SONNET_46, thinking: { type: "adaptive" } },
  { name: "manual thinking (Sonnet 4.5)", model: SONNET_45, thinking: { type: "enabled", budget_tokens: 8192 } },
])("$name", ({ model, thinking }) => {
  it.for([false, true])(
    "runs a three-turn tool loop (stream: %s) with signatures intact",
    async (stream, { llmFor, control }) => {
      const replies = await toolLoop(llmFor, control, model, stream);
      expect(replies.map((r) => r.tool_calls?.length ?? 0)).toEqual([1, 1, 0]);
      expect(replies[2]?.content).toBe("Paris is sunny, Rome is rainy.");

      const requests = await control.requests();
      expect(requests.map((r) => r.status ?? 200)).toEqual([200, 200, 200]);
      const last = requests[2]?.body as {
        additionalModelRequestFields?: unknown;
        inferenceConfig?: { temperature?: number };
        messages: { role: string; content: Record<string, unknown>[] }[];
      };
      expect(last.additionalModelRequestFields).toEqual({ thinking });
      expect(last.inferenceConfig?.temperature).toBeUndefined();
      const assistantTurns = last.messages.filter((m) => m.role === "assistant");
      expect(assistantTurns).toHaveLength(2);
      for (const turn of assistantTurns) {
        expect(turn.content[0]).toHaveProperty("reasoningContent.reasoningText.signature");
        expect(turn.content.some((b) => "toolUse" in b)).toBe(true);
      }
    },
  );
});
