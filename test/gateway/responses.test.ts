// The Responses door through the official openai client, against the gateway on port 0 over the emulator: create
// and stream, a function-call round trip, structured output, reasoning sent back signed, previous_response_id,
// GET / DELETE of stored responses, and errors.
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { API_KEY, control, type Harness, recordedRequests, startHarness } from "./harness.js";

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
});

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Current weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

interface ConverseBody {
  system?: { text?: string }[];
  messages: { role: string; content: Record<string, unknown>[] }[];
  toolConfig?: { tools: { toolSpec: { name: string } }[]; toolChoice?: unknown };
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number };
  outputConfig?: unknown;
  additionalModelRequestFields?: { thinking?: unknown };
}

async function lastConverseBody(): Promise<ConverseBody> {
  const calls = await recordedRequests(h.emulator.url);
  return calls.filter((c) => c.operation.startsWith("Converse")).at(-1)?.body as ConverseBody;
}

describe("gateway: Responses API", () => {
  it("answers responses.create with a Response object: output message, usage, status", async () => {
    await control(h.emulator.url, "responses", { text: "Paris is the capital of France." });
    const res = await client.responses.create({
      model: "default",
      instructions: "Answer in one sentence.",
      input: "Capital of France?",
      max_output_tokens: 200,
      temperature: 0.2,
      metadata: { team: "docs" },
    });
    expect(res.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(res.object).toBe("response");
    expect(res.status).toBe("completed");
    expect(res.model).toBe("default");
    expect(res.output_text).toBe("Paris is the capital of France.");
    expect(res.output).toHaveLength(1);
    expect(res.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(res.output[0]?.id).toMatch(/^msg_/);
    expect(res.usage?.input_tokens).toBeGreaterThan(0);
    expect(res.usage?.output_tokens).toBeGreaterThan(0);
    expect(res.usage?.total_tokens).toBe((res.usage?.input_tokens ?? 0) + (res.usage?.output_tokens ?? 0));
    expect(res.usage?.input_tokens_details.cached_tokens).toBe(0);
    expect(res.usage?.output_tokens_details.reasoning_tokens).toBe(0);
    expect(res).toMatchObject({ instructions: "Answer in one sentence.", metadata: { team: "docs" }, store: true });

    const calls = await recordedRequests(h.emulator.url);
    expect(calls.map((c) => c.operation)).toEqual(["Converse"]);
    const body = calls[0]?.body as ConverseBody;
    expect(body.system?.[0]?.text).toBe("Answer in one sentence.");
    expect(body.messages).toEqual([{ role: "user", content: [{ text: "Capital of France?" }] }]);
    expect(body.inferenceConfig).toMatchObject({ maxTokens: 200, temperature: 0.2 });
  });

  it("takes input items: system, developer, user with text and image parts, and earlier assistant text", async () => {
    const pixel =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    await client.responses.create({
      model: "default",
      input: [
        { role: "system", content: "Be brief." },
        { type: "message", role: "developer", content: [{ type: "input_text", text: "Use metric units." }] },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi! How can I help?" },
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is in this picture?" },
            { type: "input_image", image_url: pixel, detail: "auto" },
          ],
        },
      ],
    });
    const body = await lastConverseBody();
    expect(body.system?.map((s) => s.text)).toEqual(["Be brief.", "Use metric units."]);
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[1]?.content).toEqual([{ text: "Hi! How can I help?" }]);
    expect(body.messages[2]?.content[0]).toEqual({ text: "What is in this picture?" });
    expect(body.messages[2]?.content[1]).toHaveProperty("image");
  });

  it("streams the Responses event sequence with sequence numbers (responses.stream)", async () => {
    await control(h.emulator.url, "responses", { text: "One two three four five." });
    const stream = client.responses.stream({ model: "default", input: "Count to five" });
    const events: ResponseStreamEvent[] = [];
    let deltas = "";
    stream.on("response.output_text.delta", (e) => {
      deltas += e.delta;
    });
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();

    expect(deltas).toBe("One two three four five.");
    expect(final.output_text).toBe("One two three four five.");
    expect(final.status).toBe("completed");
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type).filter((t) => t !== "response.output_text.delta");
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.filter((e) => e.type === "response.output_text.delta").length).toBeGreaterThan(1);
    const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(created.response).toMatchObject({ id: final.id, status: "in_progress", output: [] });
    expect((await recordedRequests(h.emulator.url))[0]?.operation).toBe("ConverseStream");
  });

  it("runs a function-call round trip: function_call -> function_call_output -> answer", async () => {
    await control(h.emulator.url, "responses", [
      { text: "Let me look.", toolCalls: [{ name: "get_weather", input: { city: "Paris" } }], stopReason: "tool_use" },
      { text: "It is sunny in Paris." },
    ]);
    const input: OpenAI.Responses.ResponseInput = [{ role: "user", content: "Weather in Paris?" }];
    const first = await client.responses.create({ model: "default", input, tools: [weatherTool], store: false });
    expect(first.output.map((item) => item.type)).toEqual(["message", "function_call"]);
    const call = first.output[1] as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({ name: "get_weather", status: "completed" });
    expect(call.id).toMatch(/^fc_/);
    expect(JSON.parse(call.arguments)).toEqual({ city: "Paris" });
    const toolRequest = await lastConverseBody();
    expect(toolRequest.toolConfig?.tools.map((t) => t.toolSpec.name)).toEqual(["get_weather"]);

    const second = await client.responses.create({
      model: "default",
      tools: [weatherTool],
      store: false,
      input: [
        ...input,
        ...asInput(first.output),
        { type: "function_call_output", call_id: call.call_id, output: "sunny, 24 C" },
      ],
    });
    expect(second.output_text).toBe("It is sunny in Paris.");
    const body = await lastConverseBody();
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[1]?.content).toEqual([
      { text: "Let me look." },
      { toolUse: { toolUseId: call.call_id, name: "get_weather", input: { city: "Paris" } } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      { toolResult: { toolUseId: call.call_id, content: [{ text: "sunny, 24 C" }] } },
    ]);
  });

  it("streams a function call: output_item.added, arguments deltas, arguments.done, output_item.done", async () => {
    await control(h.emulator.url, "responses", {
      toolCalls: [{ name: "get_weather", input: { city: "Oslo" } }],
      stopReason: "tool_use",
    });
    const stream = await client.responses.create({
      model: "default",
      input: "Weather in Oslo?",
      tools: [weatherTool],
      tool_choice: { type: "function", name: "get_weather" },
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const added = events.find((e) => e.type === "response.output_item.added");
    expect(added).toMatchObject({ item: { type: "function_call", name: "get_weather", arguments: "" } });
    const args = events
      .filter((e) => e.type === "response.function_call_arguments.delta")
      .map((e) => (e as OpenAI.Responses.ResponseFunctionCallArgumentsDeltaEvent).delta)
      .join("");
    expect(JSON.parse(args)).toEqual({ city: "Oslo" });
    expect(events.find((e) => e.type === "response.function_call_arguments.done")).toMatchObject({
      name: "get_weather",
      arguments: args,
    });
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.type).toBe("response.completed");
    expect(completed.response.output.map((item) => item.type)).toEqual(["function_call"]);
    expect((await lastConverseBody()).toolConfig?.toolChoice).toEqual({ tool: { name: "get_weather" } });
  });

  it("maps namespace and custom tools, and their calls back", async () => {
    await control(h.emulator.url, "responses", {
      toolCalls: [
        { name: "agents__spawn", input: { task: "lint" } },
        { name: "apply_patch", input: { input: "*** Begin Patch\n*** End Patch" } },
      ],
      stopReason: "tool_use",
    });
    const res = await client.responses.create({
      model: "default",
      input: "Do it",
      tools: [
        {
          type: "namespace",
          name: "agents",
          description: "Sub-agents",
          tools: [{ type: "function", name: "spawn", parameters: { type: "object", properties: {} }, strict: false }],
        } as unknown as OpenAI.Responses.Tool,
        { type: "custom", name: "apply_patch", description: "Edit files" },
      ],
    });
    expect(res.output[0]).toMatchObject({ type: "function_call", name: "spawn", namespace: "agents" });
    expect(res.output[1]).toMatchObject({ type: "custom_tool_call", name: "apply_patch" });
    expect((res.output[1] as OpenAI.Responses.ResponseCustomToolCall).input).toBe("*** Begin Patch\n*** End Patch");
    expect((await lastConverseBody()).toolConfig?.tools.map((t) => t.toolSpec.name)).toEqual([
      "agents__spawn",
      "apply_patch",
    ]);
  });

  it("returns structured output for text.format json_schema", async () => {
    const res = await client.responses.create({
      model: "default",
      input: "A city, as JSON",
      text: {
        format: {
          type: "json_schema",
          name: "city",
          schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
          strict: true,
        },
      },
    });
    expect(typeof (JSON.parse(res.output_text) as { name: unknown }).name).toBe("string");
    expect(res.text?.format).toMatchObject({ type: "json_schema", name: "city" });
    expect((await lastConverseBody()).outputConfig).toMatchObject({ textFormat: { type: "json_schema" } });
  });

  it("reasons on a thinking model and sends the reasoning item back signed in the next turn", async () => {
    await control(h.emulator.url, "responses", [
      { toolCalls: [{ name: "get_weather", input: { city: "Rome" } }], stopReason: "tool_use" },
      { text: "Warm in Rome." },
    ]);
    const input: OpenAI.Responses.ResponseInput = [{ role: "user", content: "Weather in Rome?" }];
    const first = await client.responses.create({
      model: "default",
      input,
      tools: [weatherTool],
      reasoning: { effort: "low", summary: "auto" },
      include: ["reasoning.encrypted_content"],
      store: false,
    });
    expect(first.output.map((item) => item.type)).toEqual(["reasoning", "function_call"]);
    const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.id).toMatch(/^rs_/);
    expect(reasoning.summary[0]?.text).toMatch(/^Considering the request/);
    expect(reasoning.encrypted_content).toEqual(expect.any(String));
    expect(first.usage?.output_tokens).toBeGreaterThan(0);
    expect((await lastConverseBody()).additionalModelRequestFields?.thinking).toMatchObject({ type: "enabled" });

    const call = first.output[1] as OpenAI.Responses.ResponseFunctionToolCall;
    const next = [
      ...input,
      ...asInput(first.output),
      { type: "function_call_output" as const, call_id: call.call_id, output: "22 C" },
    ];
    const second = await client.responses.create({
      model: "default",
      input: next,
      tools: [weatherTool],
      reasoning: { effort: "low" },
      store: false,
    });
    expect(second.output_text).toBe("Warm in Rome.");
    // The emulator checks the signature: the block went back as Bedrock gave it.
    const sent = (await lastConverseBody()).messages[1]?.content[0] as {
      reasoningContent?: { reasoningText?: { text: string; signature?: string } };
    };
    expect(sent.reasoningContent?.reasoningText?.text).toBe(reasoning.summary[0]?.text);
    expect(sent.reasoningContent?.reasoningText?.signature).toEqual(expect.any(String));

    // A tampered block is refused by Bedrock's signature check, so the round trip above proves the block intact.
    const forged = { ...reasoning, encrypted_content: forge(reasoning.encrypted_content ?? "") };
    await expect(
      client.responses.create({
        model: "default",
        input: [...input, forged, call, { type: "function_call_output", call_id: call.call_id, output: "22 C" }],
        tools: [weatherTool],
        reasoning: { effort: "low" },
        store: false,
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/signature/i) });
  });

  it("streams reasoning summary events and the reasoning item with encrypted_content", async () => {
    const stream = client.responses.stream({
      model: "default",
      input: "Think, then say hi",
      reasoning: { effort: "low" },
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
    ]);
    expect(types).toContain("response.reasoning_summary_text.delta");
    expect(types).toContain("response.reasoning_summary_text.done");
    const final = await stream.finalResponse();
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    const reasoning = final.output[0] as OpenAI.Responses.ResponseReasoningItem;
    const summary = events
      .filter((e) => e.type === "response.reasoning_summary_text.delta")
      .map((e) => (e as OpenAI.Responses.ResponseReasoningSummaryTextDeltaEvent).delta)
      .join("");
    expect(reasoning.summary[0]?.text).toBe(summary);
    expect(reasoning.encrypted_content).toEqual(expect.any(String));
  });

  it("chains turns with previous_response_id; instructions are not carried over", async () => {
    await control(h.emulator.url, "responses", [
      { toolCalls: [{ name: "get_weather", input: { city: "Lima" } }], stopReason: "tool_use" },
      { text: "Cloudy in Lima." },
      { text: "You asked about Lima." },
    ]);
    const first = await client.responses.create({
      model: "default",
      instructions: "Be terse.",
      input: "Weather in Lima?",
      tools: [weatherTool],
    });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const second = await client.responses.create({
      model: "default",
      previous_response_id: first.id,
      tools: [weatherTool],
      input: [{ type: "function_call_output", call_id: call.call_id, output: "cloudy" }],
    });
    expect(second.output_text).toBe("Cloudy in Lima.");
    expect(second.previous_response_id).toBe(first.id);
    const secondBody = await lastConverseBody();
    expect(secondBody.system).toBeUndefined();
    expect(secondBody.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(secondBody.messages[1]?.content[0]).toMatchObject({ toolUse: { toolUseId: call.call_id } });

    const third = await client.responses.create({
      model: "default",
      previous_response_id: second.id,
      input: "What did I ask about?",
    });
    expect(third.output_text).toBe("You asked about Lima.");
    const thirdBody = await lastConverseBody();
    expect(thirdBody.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user"]);
    expect(thirdBody.messages[3]?.content).toEqual([{ text: "Cloudy in Lima." }]);
    expect(thirdBody.messages[4]?.content).toEqual([{ text: "What did I ask about?" }]);
  });

  it("stores a streamed response before it completes, so the next turn can name it at once", async () => {
    const stream = client.responses.stream({ model: "default", input: "Remember: blue." });
    const final = await stream.finalResponse();
    const next = await client.responses.create({ model: "default", previous_response_id: final.id, input: "Colour?" });
    expect(next.status).toBe("completed");
    expect((await lastConverseBody()).messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });

  it("retrieves and deletes stored responses; store: false keeps nothing", async () => {
    const stored = await client.responses.create({ model: "default", input: "Keep this" });
    const fetched = await client.responses.retrieve(stored.id);
    expect(fetched).toMatchObject({ id: stored.id, status: "completed", output: stored.output, usage: stored.usage });

    await client.responses.delete(stored.id);
    await expect(client.responses.retrieve(stored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.responses.delete(stored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    const unstored = await client.responses.create({ model: "default", input: "Forget this", store: false });
    expect((unstored as unknown as { store: boolean }).store).toBe(false);
    await expect(client.responses.retrieve(unstored.id)).rejects.toMatchObject({
      status: 404,
      code: "response_not_found",
    });
  });

  it("refuses an unknown or deleted previous_response_id with a 400 that says so", async () => {
    const error = await client.responses
      .create({ model: "default", previous_response_id: `resp_${"0".repeat(48)}`, input: "hi" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ code: "previous_response_not_found", param: "previous_response_id" });
    expect((error as Error).message).toMatch(/not found.*store: false.*expired.*30 days/);
    expect(await recordedRequests(h.emulator.url)).toEqual([]);
  });

  it("ends at max_output_tokens with status incomplete and incomplete_details", async () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    await control(h.emulator.url, "responses", [{ text: words }, { text: words }]);
    const res = await client.responses.create({ model: "default", input: "Talk", max_output_tokens: 16 });
    expect(res.status).toBe("incomplete");
    expect(res.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(res.output[0]).toMatchObject({ type: "message", status: "incomplete" });

    const stream = await client.responses.create({
      model: "default",
      input: "Talk",
      max_output_tokens: 16,
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.incomplete");
  });

  it("refuses hosted tools with a 400 naming them", async () => {
    const error = await client.responses
      .create({ model: "default", input: "news?", tools: [{ type: "web_search" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: "tools[0].type", code: "invalid_value" });
    expect((error as Error).message).toContain("'web_search'");
    expect((error as Error).message).toContain("function, custom, namespace, local_shell");
    expect((error as Error).message).toContain('web_search = "disabled"');
  });

  it("answers errors in OpenAI's shape: unknown model, bad input item, background, throttling", async () => {
    await expect(client.responses.create({ model: "gpt-4o", input: "hi" })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
    });
    await expect(
      client.responses.create({
        model: "default",
        input: [{ type: "file_search_call", id: "fs_1", queries: [], status: "completed" }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      param: "input[0].type",
      message: expect.stringContaining("'file_search_call'"),
    });
    await expect(client.responses.create({ model: "default", input: "hi", background: true })).rejects.toMatchObject({
      status: 400,
      param: "background",
    });
    await control(h.emulator.url, "faults", { operation: "Converse", error: "ThrottlingException", count: 2 });
    const throttled = await client.responses.create({ model: "default", input: "hi" }).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(OpenAI.RateLimitError);
    expect(throttled).toMatchObject({ code: "rate_limit_exceeded" });
  });

  it("gives a stream that Bedrock refuses at once its HTTP status, and one that breaks later error + response.failed", async () => {
    await control(h.emulator.url, "faults", { operation: "ConverseStream", error: "ValidationException", count: 1 });
    await expect(client.responses.create({ model: "default", input: "hi", stream: true })).rejects.toMatchObject({
      status: 400,
    });

    await control(h.emulator.url, "faults", {
      operation: "ConverseStream",
      error: "ModelStreamErrorException",
      count: 1,
      afterEvents: 3,
    });
    const stream = await client.responses.create({ model: "default", input: "hi", stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const [error, failed] = events.slice(-2);
    expect(error).toMatchObject({ type: "error", code: "upstream_error" });
    expect(failed).toMatchObject({
      type: "response.failed",
      response: { status: "failed", error: { code: "upstream_error" } },
    });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    await vi.waitFor(() => expect(h.logs.at(-1)).toMatchObject({ status: 200, error: "service" }));
  });

  it("cancels the Bedrock stream when the client goes away", async () => {
    await control(h.emulator.url, "faults", { operation: "ConverseStream", count: 1, afterEvents: 3, delayMs: 10_000 });
    const controller = new AbortController();
    const stream = await client.responses.create(
      { model: "default", input: "hi", stream: true },
      { signal: controller.signal },
    );
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") break;
    }
    controller.abort();
    await vi.waitFor(
      async () => {
        const calls = await recordedRequests(h.emulator.url);
        expect(calls.find((c) => c.operation === "ConverseStream")?.clientClosed).toBe(true);
      },
      { timeout: 5000 },
    );
    await vi.waitFor(() => expect(h.logs.at(-1)).toMatchObject({ status: 499 }));
  });
});

/** Output items sent back as input, as clients do (the package's types keep the two apart). */
function asInput(output: OpenAI.Responses.ResponseOutputItem[]): OpenAI.Responses.ResponseInputItem[] {
  return output as OpenAI.Responses.ResponseInputItem[];
}

/** The same block with its text changed: what a client that edits reasoning would send. */
function forge(encrypted: string): string {
  const prefix = "bedrock-llm.v1.";
  const block = JSON.parse(Buffer.from(encrypted.slice(prefix.length), "base64").toString("utf8")) as {
    thinking: string;
  };
  block.thinking += " (edited)";
  return prefix + Buffer.from(JSON.stringify(block)).toString("base64");
}
