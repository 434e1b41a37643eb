/**
 * An agent that keeps one tools array and pushes a tool into it between turns: every call sends the tools the
 * array holds at that moment (checked in the toolConfig Bedrock received, from the emulator's request log).
 */
import { describe, expect } from "vitest";
import type { FunctionTool } from "../../src/llm/types.js";
import type { EmulatorControl } from "../support/fixtures.js";
import { collect, it } from "./emulator.js";
import { HAIKU_3, SONNET_45 } from "./helpers.js";

function tool(name: string, description = `Tool ${name}`): FunctionTool {
  return {
    type: "function",
    function: { name, description, parameters: { type: "object", properties: { arg: { type: "string" } } } },
  };
}

/** The tool names and descriptions of each Converse / ConverseStream call, in order. */
async function sentTools(control: EmulatorControl): Promise<string[][]> {
  const requests = (await control.requests()).filter((r) => r.operation.startsWith("Converse"));
  return requests.map((r) => {
    const body = r.body as { toolConfig?: { tools?: { toolSpec?: { name: string; description?: string } }[] } };
    return (body.toolConfig?.tools ?? []).flatMap((t) =>
      t.toolSpec ? [`${t.toolSpec.name}:${t.toolSpec.description}`] : [],
    );
  });
}

describe("tools the caller changes between calls", () => {
  it("sends a tool pushed into the same array, and a changed description, on the next call", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(HAIKU_3);
    const tools = [tool("read_file")];
    const messages = [{ role: "user" as const, content: "list the files" }];
    await llm.completion({ messages, tools });
    tools.push(tool("run_command"));
    await collect(llm.stream({ messages, tools }));
    (tools[0] as FunctionTool).function.description = "Read a file (now with line numbers)";
    await llm.completion({ messages, tools });
    expect(await sentTools(control)).toEqual([
      ["read_file:Tool read_file"],
      ["read_file:Tool read_file", "run_command:Tool run_command"],
      ["read_file:Read a file (now with line numbers)", "run_command:Tool run_command"],
    ]);
  });

  it("keeps the cache point after the tools it sends, and the caller's array unchanged", async ({
    llmFor,
    control,
  }) => {
    const llm = llmFor(SONNET_45, { caching_prompt: true });
    const big = "A long tool description that is worth caching. ".repeat(120);
    const tools = [tool("read_file", big)];
    const messages = [{ role: "user" as const, content: "go" }];
    await llm.completion({ messages, tools });
    tools.push(tool("write_file", big));
    const before = structuredClone(tools);
    await llm.completion({ messages, tools });
    expect(tools).toEqual(before);
    const [, second] = (await control.requests()).filter((r) => r.operation === "Converse");
    const body = second?.body as { toolConfig?: { tools: Record<string, unknown>[] } } | undefined;
    const sent = body?.toolConfig?.tools ?? [];
    expect(sent.map((t) => Object.keys(t)[0])).toEqual(["toolSpec", "toolSpec", "cachePoint"]);
  });
});
