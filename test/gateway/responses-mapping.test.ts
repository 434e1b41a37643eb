// The Responses door's translations, without a server: request body -> chat request, tools, reasoning blocks in
// encrypted_content, completion -> output items, and chunks -> the event sequence.
import { describe, expect, it } from "vitest";
import type { ChatCompletion, ChatCompletionChunk, CompletionUsage } from "../../src/chat/index.js";
import { GatewayError } from "../../src/gateway/openai-error.js";
import { firstIssue } from "../../src/gateway/request-schema.js";
import { outputItems, responseShell, responseUsage, statusOf } from "../../src/gateway/responses/output.js";
import { decodeBlock, encodeBlock } from "../../src/gateway/responses/reasoning-item.js";
import {
  type InputItem,
  type ResponsesBody,
  responsesRequestSchema,
  specificIssues,
} from "../../src/gateway/responses/request-schema.js";
import { ResponseEventStream } from "../../src/gateway/responses/stream.js";
import { toChatRequest, toMessages } from "../../src/gateway/responses/to-chat.js";
import { ToolCatalog } from "../../src/gateway/responses/tools.js";

function parse(body: Record<string, unknown>): ResponsesBody {
  return responsesRequestSchema.parse({ model: "default", ...body });
}

function issue(body: Record<string, unknown>): { message: string; param: string | null } {
  const result = responsesRequestSchema.safeParse({ model: "default", ...body });
  if (result.success) throw new Error("expected the body to be refused");
  return firstIssue(specificIssues(result.error));
}

const located = (items: InputItem[]) => items.map((item, i) => ({ item, path: `input[${i}]` }));
const signed = { type: "thinking" as const, thinking: "Let me think.", signature: "c2lnbmF0dXJl" };
const usage: CompletionUsage = {
  prompt_tokens: 120,
  completion_tokens: 30,
  total_tokens: 150,
  prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 12 },
};

describe("request body", () => {
  it("reads a string input as one user message, and an easy message without type", () => {
    expect(parse({ input: "Hi" }).input).toEqual([{ type: "message", role: "user", content: "Hi" }]);
    expect(parse({ input: [{ role: "developer", content: "Be brief." }] }).input).toEqual([
      { type: "message", role: "developer", content: "Be brief." },
    ]);
  });

  it("accepts null for unset fields and drops fields it does not use", () => {
    const body = parse({
      input: "Hi",
      temperature: null,
      max_output_tokens: null,
      previous_response_id: null,
      prompt_cache_key: "k",
      client_metadata: { a: "b" },
      include: ["reasoning.encrypted_content"],
    });
    expect(body.temperature).toBeUndefined();
    expect(body).not.toHaveProperty("prompt_cache_key");
  });

  it("names an unsupported input item, content part or tool, and refuses background and conversation", () => {
    expect(issue({ input: [{ type: "web_search_call", id: "ws_1" }] })).toMatchObject({ param: "input[0].type" });
    expect(issue({ input: [{ type: "web_search_call" }] }).message).toContain("'web_search_call'");
    // input_file is accepted (file_id is refused when the request is mapped); input_audio is not.
    expect(issue({ input: [{ role: "user", content: [{ type: "input_audio", data: "x" }] }] })).toMatchObject({
      param: "input[0].content[0].type",
      message: expect.stringContaining("'input_audio'"),
    });
    const tool = issue({ input: "x", tools: [{ type: "file_search", vector_store_ids: [] }] });
    expect(tool.param).toBe("tools[0].type");
    expect(tool.message).toContain("'file_search'");
    expect(issue({ input: "x", background: true }).param).toBe("background");
    expect(issue({ input: "x", conversation: "conv_1" }).param).toBe("conversation");
    expect(issue({ input: 5 }).param).toBe("input");
    expect(issue({ input: "x", reasoning: { effort: "extreme" } }).param).toBe("reasoning.effort");
  });
});

describe("input items -> chat messages", () => {
  it("makes one assistant turn of reasoning, text and tool calls, and a tool message per output", () => {
    const items = parse({
      input: [
        { role: "user", content: "Weather?" },
        { type: "reasoning", summary: [{ type: "summary_text", text: "hm" }], encrypted_content: encodeBlock(signed) },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Looking." }] },
        { type: "function_call", call_id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' },
        { type: "function_call", call_id: "c2", name: "spawn", namespace: "agents", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "rain" },
        { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "ok" }] },
      ],
    }).input;
    expect(toMessages(located(items))).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: [{ type: "text", text: "Looking." }],
        thinking_blocks: [signed],
        tool_calls: [
          { id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
          { id: "c2", type: "function", function: { name: "agents__spawn", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "rain" },
      { role: "tool", tool_call_id: "c2", content: [{ type: "text", text: "ok" }] },
    ]);
  });

  it("leaves out reasoning that carries no Bedrock block (it could not be sent back signed)", () => {
    const items = parse({
      input: [
        { type: "reasoning", summary: [{ type: "summary_text", text: "hm" }] },
        { type: "reasoning", summary: [], encrypted_content: "gAAAAB-someone-elses" },
        { role: "assistant", content: "Hello" },
      ],
    }).input;
    expect(toMessages(located(items))).toEqual([{ role: "assistant", content: [{ type: "text", text: "Hello" }] }]);
  });

  it("turns custom and local shell calls into function calls with their arguments", () => {
    const items = parse({
      input: [
        { type: "custom_tool_call", call_id: "c1", name: "apply_patch", input: "*** Begin Patch" },
        {
          type: "local_shell_call",
          id: "lsh_1",
          call_id: "c2",
          status: "completed",
          action: { type: "exec", command: ["ls", "-l"], env: {}, working_directory: "/tmp", timeout_ms: null },
        },
        { type: "custom_tool_call_output", call_id: "c1", output: "Done" },
        { type: "local_shell_call_output", id: "c2", output: "total 0" },
      ],
    }).input;
    const [assistant, ...results] = toMessages(located(items));
    expect(assistant).toMatchObject({
      tool_calls: [
        { id: "c1", function: { name: "apply_patch", arguments: JSON.stringify({ input: "*** Begin Patch" }) } },
        {
          id: "c2",
          function: { name: "local_shell", arguments: JSON.stringify({ command: ["ls", "-l"], workdir: "/tmp" }) },
        },
      ],
    });
    expect(results).toEqual([
      { role: "tool", tool_call_id: "c1", content: "Done" },
      { role: "tool", tool_call_id: "c2", content: "total 0" },
    ]);
  });

  it("refuses images outside user messages and images by file_id, naming the part", () => {
    const image = { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "auto" };
    const system = parse({ input: [{ role: "system", content: [image] }] }).input;
    expect(() => toMessages(located(system))).toThrow(GatewayError);
    expect(() => toMessages(located(system))).toThrow(/input\[0\]\.content\[0\].*only user messages/);
    const byFile = parse({
      input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1", detail: "auto" }] }],
    });
    expect(() => toMessages(located(byFile.input))).toThrow(/file_id/);
  });
});

describe("request -> chat request", () => {
  it("maps instructions, limits, text.format, reasoning effort and service tier", () => {
    const body = parse({
      input: "Hi",
      instructions: "Be brief.",
      max_output_tokens: 99,
      temperature: 0.5,
      top_p: 0.9,
      text: { format: { type: "json_schema", name: "x", schema: { type: "object" }, strict: true } },
      reasoning: { effort: "minimal", summary: "auto" },
      service_tier: "flex",
    });
    expect(toChatRequest(body, located(body.input), new ToolCatalog())).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      max_completion_tokens: 99,
      temperature: 0.5,
      top_p: 0.9,
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" }, strict: true } },
      reasoning_effort: "low",
      service_tier: "flex",
    });
    const plain = parse({
      input: "Hi",
      text: { format: { type: "text" } },
      reasoning: { effort: "none" },
      service_tier: "auto",
    });
    const request = toChatRequest(plain, located(plain.input), new ToolCatalog());
    expect(request).not.toHaveProperty("response_format");
    expect(request).not.toHaveProperty("reasoning_effort");
    expect(request).not.toHaveProperty("service_tier");
    const json = parse({ input: "Hi", text: { format: { type: "json_object" } } });
    expect(toChatRequest(json, located(json.input), new ToolCatalog()).response_format).toEqual({
      type: "json_object",
    });
  });

  it("declares the tools of earlier calls when the turn offers none, as Bedrock needs a toolConfig", () => {
    const body = parse({
      input: [
        { type: "function_call", call_id: "c1", name: "get_weather", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "rain" },
      ],
    });
    const request = toChatRequest(body, located(body.input), new ToolCatalog());
    expect(request.tools?.map((t) => t.function.name)).toEqual(["get_weather"]);
  });
});

describe("tools", () => {
  const params = parse({
    input: "x",
    tools: [
      { type: "function", name: "get_weather", parameters: { type: "object" }, strict: true, description: "d" },
      {
        type: "namespace",
        name: "agents",
        description: "Sub-agents",
        tools: [
          { type: "function", name: "spawn", parameters: null },
          { type: "custom", name: "note" },
        ],
      },
      {
        type: "custom",
        name: "apply_patch",
        description: "Edit files",
        format: { type: "grammar", syntax: "lark", definition: "start: 'x'" },
      },
      { type: "local_shell" },
    ],
  }).tools;

  it("names namespace members <namespace>__<name> and gives custom tools one string input", () => {
    const catalog = new ToolCatalog(params);
    expect(catalog.tools.map((t) => t.function.name)).toEqual([
      "get_weather",
      "agents__spawn",
      "agents__note",
      "apply_patch",
      "local_shell",
    ]);
    expect(catalog.tools[0]?.function).toEqual({
      name: "get_weather",
      description: "d",
      parameters: { type: "object" },
      strict: true,
    });
    const patch = catalog.tools[3]?.function.parameters as { properties: { input: { description: string } } };
    expect(patch.properties.input.description).toContain("lark grammar:\nstart: 'x'");
  });

  it("turns the model's calls back into the items of each kind of tool", () => {
    const catalog = new ToolCatalog(params);
    const call = (name: string, args: string) => ({
      id: "tooluse_1",
      type: "function" as const,
      function: { name, arguments: args },
    });
    expect(catalog.callItem(call("agents__spawn", "{}"), "completed")).toMatchObject({
      type: "function_call",
      name: "spawn",
      namespace: "agents",
      call_id: "tooluse_1",
      arguments: "{}",
    });
    expect(catalog.callItem(call("apply_patch", '{"input":"patch text"}'), "completed")).toMatchObject({
      type: "custom_tool_call",
      name: "apply_patch",
      input: "patch text",
    });
    expect(catalog.callItem(call("local_shell", '{"command":["ls"],"workdir":"/w"}'), "completed")).toMatchObject({
      type: "local_shell_call",
      call_id: "tooluse_1",
      action: { type: "exec", command: ["ls"], working_directory: "/w", timeout_ms: null },
    });
    expect(catalog.callItem(call("unknown_tool", "{}"), "completed")).toMatchObject({
      type: "function_call",
      name: "unknown_tool",
    });
  });

  it("maps tool_choice, narrows tools for allowed_tools, and refuses a choice naming no tool", () => {
    expect(new ToolCatalog(params).toolChoice({ type: "function", name: "spawn" })).toEqual({
      type: "function",
      function: { name: "agents__spawn" },
    });
    expect(new ToolCatalog(params).toolChoice({ type: "custom", name: "apply_patch" })).toEqual({
      type: "function",
      function: { name: "apply_patch" },
    });
    const narrowed = new ToolCatalog(params);
    expect(
      narrowed.toolChoice({
        type: "allowed_tools",
        mode: "required",
        tools: [{ type: "function", name: "get_weather" }],
      }),
    ).toBe("required");
    expect(narrowed.tools.map((t) => t.function.name)).toEqual(["get_weather"]);
    expect(() => new ToolCatalog(params).toolChoice({ type: "function", name: "nope" })).toThrow(
      /no function tool named 'nope'/,
    );
  });

  it("refuses two tools with one name", () => {
    const twice = parse({
      input: "x",
      tools: [
        { type: "function", name: "a" },
        { type: "custom", name: "a" },
      ],
    }).tools;
    expect(() => new ToolCatalog(twice)).toThrow(/two tools are named 'a'/);
  });
});

describe("reasoning blocks in encrypted_content", () => {
  it("round-trips a signed block and a redacted one unchanged", () => {
    expect(decodeBlock(encodeBlock(signed))).toEqual(signed);
    const redacted = { type: "redacted_thinking" as const, data: "AAECAw==" };
    expect(decodeBlock(encodeBlock(redacted))).toEqual(redacted);
  });

  it("reads nothing from content it did not write", () => {
    expect(decodeBlock(undefined)).toBeUndefined();
    expect(decodeBlock("gAAAAABo-openai-ciphertext")).toBeUndefined();
    expect(decodeBlock("bedrock-llm.v1.!!!not-base64-json")).toBeUndefined();
    expect(decodeBlock(`bedrock-llm.v1.${Buffer.from('{"type":"thinking"}').toString("base64")}`)).toBeUndefined();
  });
});

describe("completion -> Response", () => {
  const catalog = new ToolCatalog();
  function completion(message: Partial<ChatCompletion["choices"][number]["message"]>, finish = "stop"): ChatCompletion {
    return {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 0,
      model: "m",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, refusal: null, ...message },
          finish_reason: finish as "stop",
          logprobs: null,
        },
      ],
      usage,
    };
  }

  it("orders reasoning, message, then tool calls", () => {
    const items = outputItems(
      completion({
        content: "Checking.",
        thinking_blocks: [signed],
        tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{}" } }],
      }),
      catalog,
    );
    expect(items.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(items[0]).toMatchObject({ summary: [{ type: "summary_text", text: "Let me think." }] });
    expect(decodeBlock((items[0] as { encrypted_content: string }).encrypted_content)).toEqual(signed);
  });

  it("keeps an empty message when there is nothing else, and marks items incomplete at max tokens", () => {
    expect(outputItems(completion({ content: null }), catalog)).toMatchObject([
      { type: "message", content: [{ type: "output_text", text: "" }] },
    ]);
    expect(outputItems(completion({ content: "Cut" }, "length"), catalog)[0]).toMatchObject({ status: "incomplete" });
  });

  it("reports usage in OpenAI's terms and the status of each finish reason", () => {
    expect(responseUsage(usage)).toEqual({
      input_tokens: 120,
      input_tokens_details: { cached_tokens: 100 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 150,
    });
    expect(statusOf("stop")).toEqual({ status: "completed" });
    expect(statusOf("tool_calls")).toEqual({ status: "completed" });
    expect(statusOf("length")).toEqual({ status: "incomplete", incomplete: "max_output_tokens" });
    expect(statusOf("content_filter")).toEqual({ status: "incomplete", incomplete: "content_filter" });
  });
});

describe("chunks -> the event sequence", () => {
  const shell = responseShell("resp_1", parse({ input: "x" }), true, 0);
  const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"]): ChatCompletionChunk => ({
    id: "c",
    object: "chat.completion.chunk",
    created: 0,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
  });

  it("opens and closes reasoning, message and function call items in order, with sequence numbers", () => {
    const stream = new ResponseEventStream(shell, new ToolCatalog());
    const events = [
      ...stream.start(),
      ...stream.chunk(chunk({ role: "assistant", reasoning_content: "Let me " })),
      ...stream.chunk(chunk({ reasoning_content: "think." })),
      ...stream.chunk(chunk({ thinking_blocks: [signed] })),
      ...stream.chunk(chunk({ content: "Checking" })),
      ...stream.chunk(chunk({ content: "." })),
      ...stream.chunk(
        chunk({ tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "f", arguments: "" } }] }),
      ),
      ...stream.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] })),
      ...stream.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] })),
    ];
    const last = stream.finish("tool_calls", usage);
    events.push(...last.events);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.filter((e) => e.type === "response.output_item.done").map((e) => e.output_index)).toEqual([0, 1, 2]);
    expect(last.response.status).toBe("completed");
    expect(last.response.usage).toEqual(responseUsage(usage));
    expect(last.response.output).toMatchObject([
      { type: "reasoning", summary: [{ text: "Let me think." }], encrypted_content: encodeBlock(signed) },
      { type: "message", status: "completed", content: [{ text: "Checking." }] },
      { type: "function_call", call_id: "t1", name: "f", arguments: '{"a":1}', status: "completed" },
    ]);
    // Each item keeps its id from added to done.
    const added = events
      .filter((e) => e.type === "response.output_item.added")
      .map((e) => (e.item as { id: string }).id);
    expect(last.response.output.map((item) => item.id)).toEqual(added);
  });

  it("gives a redacted block an item of its own, and ends an empty answer with an empty message", () => {
    const stream = new ResponseEventStream(shell, new ToolCatalog());
    const events = stream.chunk(chunk({ thinking_blocks: [{ type: "redacted_thinking", data: "AAAA" }] }));
    expect(events.map((e) => e.type)).toEqual(["response.output_item.added", "response.output_item.done"]);
    const { events: last, response } = stream.finish("stop", usage);
    expect(last.map((e) => e.type)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
  });

  it("ends at max tokens with response.incomplete, and a failure with error then response.failed", () => {
    const cut = new ResponseEventStream(shell, new ToolCatalog());
    cut.chunk(chunk({ content: "Once upon" }));
    const { events, response } = cut.finish("length", usage);
    expect(events.at(-1)?.type).toBe("response.incomplete");
    expect(response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(response.output[0]).toMatchObject({ status: "incomplete" });

    const broken = new ResponseEventStream(shell, new ToolCatalog());
    broken.start();
    broken.chunk(chunk({ content: "Hal" }));
    expect(broken.fail("upstream_error", "Bedrock failed")).toMatchObject([
      { type: "error", code: "upstream_error", message: "Bedrock failed", param: null, sequence_number: 5 },
      { type: "response.failed", response: { status: "failed", error: { code: "upstream_error" } } },
    ]);
  });
});
