/** The gateway's body schema: the library's request schema plus the endpoint's rules; parsing, no network. */
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../src/chat/index.js";
import { chatCompletionRequestSchema, firstIssue } from "../../src/gateway/request-schema.js";

function parse(body: Record<string, unknown>) {
  return chatCompletionRequestSchema.safeParse({ model: "default", ...body });
}

function issue(body: Record<string, unknown>) {
  const parsed = parse(body);
  if (parsed.success) throw new Error("expected the body to be refused");
  return firstIssue(parsed.error);
}

const hello = [{ role: "user", content: "hello" }];

describe("chat completions body schema", () => {
  it("keeps every field the library reads, so the parsed body is the library's request", () => {
    const request = {
      messages: [
        { role: "developer", content: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }] },
        {
          role: "user",
          name: "ann",
          content: [
            { type: "text", text: "Look:", cache_control: { type: "ephemeral", ttl: "1h" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          reasoning_content: "thinking",
          thinking_blocks: [
            { type: "thinking", thinking: "hm", signature: "sig" },
            { type: "redacted_thinking", data: "AAAA" },
          ],
          tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "t1", content: [{ type: "text", text: "42" }] },
      ],
      tools: [
        { type: "function", function: { name: "f", description: "d", parameters: { type: "object" }, strict: true } },
      ],
      tool_choice: { type: "function", function: { name: "f" } },
      max_completion_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      stop: ["END"],
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", description: "the answer", schema: { type: "object" }, strict: true },
      },
      reasoning_effort: "high",
      service_tier: "flex",
    } satisfies Omit<ChatCompletionRequest, "model">;
    const parsed = parse(request);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ model: "default", ...request });
  });

  it("accepts and drops unknown fields, at the top and inside messages", () => {
    const parsed = parse({
      user: "u1",
      seed: 7,
      messages: [{ role: "assistant", content: "hi", refusal: null, audio: null }, ...hello],
    });
    expect(parsed.data).toEqual({ model: "default", messages: [{ role: "assistant", content: "hi" }, ...hello] });
  });

  it('reads null as "not set" and service_tier "auto" as the configured tier', () => {
    const parsed = parse({
      messages: hello,
      max_tokens: null,
      max_completion_tokens: null,
      temperature: null,
      top_p: null,
      stop: null,
      reasoning_effort: null,
      service_tier: "auto",
      stream: null,
      n: null,
    });
    // toEqual reads undefined as absent: what reaches the library is the messages only.
    expect(parsed.data).toEqual({ model: "default", messages: hello, stream: null, n: null });
  });

  it("refuses what the endpoint does not serve, naming the parameter", () => {
    expect(issue({ model: "", messages: hello }).param).toBe("model");
    expect(issue({ messages: [] }).param).toBe("messages");
    expect(issue({ messages: hello, n: 2 })).toEqual({
      message: "Invalid value for 'n': only n = 1 is supported",
      param: "n",
    });
    expect(issue({ messages: hello, temperature: 2.5 }).param).toBe("temperature");
    expect(issue({ messages: hello, top_p: 1.5 }).param).toBe("top_p");
    expect(issue({ messages: hello, stop: ["a", "b", "c", "d", "e"] }).param).toBe("stop");
    expect(issue({ messages: hello, max_tokens: 0 }).param).toBe("max_tokens");
    expect(issue({ messages: hello, service_tier: "scale" }).param).toBe("service_tier");
    expect(issue({ messages: hello, reasoning_effort: "extreme" }).param).toBe("reasoning_effort");
    expect(
      issue({ messages: [{ role: "system", content: [{ type: "image_url", image_url: { url: "x" } }] }] }).param,
    ).toBe("messages[0].content");
    expect(issue({ messages: hello, tools: [{ type: "function", function: { name: "" } }] }).param).toBe(
      "tools[0].function.name",
    );
  });
});
