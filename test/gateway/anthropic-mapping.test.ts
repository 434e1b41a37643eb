// The Anthropic door's mappings as units: the error table (library codes and the gateway's refusals -> Anthropic's
// types and statuses, docs/ERRORS.md held to it), the request rules (system entries, betas), the body Bedrock
// takes, and the Converse bridge both ways.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toBedrockAnthropicBody } from "../../src/bedrock/anthropic-native.js";
import type { ChatCompletion, ChatCompletionChunk } from "../../src/chat/index.js";
import {
  AbortedError,
  AccessDeniedError,
  type BedrockLLMError,
  type BedrockLLMErrorCode,
  ConfigError,
  CredentialsError,
  ERROR_CODES,
  GuardrailInterventionError,
  ModelNotReadyError,
  ResourceNotFoundError,
  ServiceError,
  ThrottlingError,
  TimeoutError,
  ValidationError,
} from "../../src/errors.js";
import { ChunksToEvents, toAnthropicMessage, toChatRequest } from "../../src/gateway/anthropic/converse-bridge.js";
import { ANTHROPIC_ANSWER_BY_ERROR_CODE, toAnthropicError } from "../../src/gateway/anthropic/errors.js";
import { betaList, parseMessagesRequest } from "../../src/gateway/anthropic/request.js";
import { errors } from "../../src/gateway/openai-error.js";

const SECRET_DETAIL = "role arn:aws:iam::999999999999:role/Private in /etc/bedrock.toml";

const sample: Record<BedrockLLMErrorCode, BedrockLLMError> = {
  config: new ConfigError(SECRET_DETAIL),
  credentials: new CredentialsError(SECRET_DETAIL),
  access: new AccessDeniedError(SECRET_DETAIL),
  throttling: new ThrottlingError("Too many requests", { retryAfterSeconds: 2.5 }),
  validation: new ValidationError("messages: bad"),
  guardrail: new GuardrailInterventionError("blocked"),
  not_found: new ResourceNotFoundError("no such model"),
  model_not_ready: new ModelNotReadyError("loading"),
  timeout: new TimeoutError("took too long"),
  aborted: new AbortedError("client left"),
  service: new ServiceError("boom", { statusCode: 500 }),
};

const LIBRARY_ANSWERS = [
  ["config", 500, "api_error"],
  ["credentials", 500, "api_error"],
  ["access", 403, "permission_error"],
  ["throttling", 429, "rate_limit_error"],
  ["validation", 400, "invalid_request_error"],
  ["guardrail", 400, "invalid_request_error"],
  ["not_found", 404, "not_found_error"],
  ["model_not_ready", 529, "overloaded_error"],
  ["timeout", 504, "timeout_error"],
  ["aborted", 499, "api_error"],
  ["service", 500, "api_error"],
] as const;

describe("Anthropic errors: library codes", () => {
  it.each(LIBRARY_ANSWERS)("%s -> %i %s, counted under its code", (code, status, type) => {
    const failure = toAnthropicError(sample[code]);
    expect([failure.status, failure.kind]).toEqual([status, code]);
    expect(failure.body()).toEqual({ type: "error", error: { type, message: failure.message } });
  });

  it("covers every code of the error family", () => {
    expect(Object.keys(ANTHROPIC_ANSWER_BY_ERROR_CODE).sort()).toEqual([...ERROR_CODES].sort());
  });

  it("Bedrock overloaded (a 503, or a stream's ServiceUnavailableException frame) is overloaded_error 529", () => {
    expect(toAnthropicError(new ServiceError("x", { statusCode: 503 })).status).toBe(529);
    const frame = Object.assign(new Error("try later"), { name: "ServiceUnavailableException" });
    const failure = toAnthropicError(new ServiceError("x", { cause: frame }));
    expect([failure.status, failure.type]).toEqual([529, "overloaded_error"]);
  });

  it("throttling and overload answer retry-after; the gateway's own configuration says not to retry", () => {
    expect(toAnthropicError(sample.throttling).headers["retry-after"]).toBe("3");
    expect(toAnthropicError(sample.model_not_ready).headers["retry-after"]).toBe("1");
    expect(toAnthropicError(sample.config).headers["x-should-retry"]).toBe("false");
    expect(toAnthropicError(sample.credentials).headers["x-should-retry"]).toBe("false");
    expect(toAnthropicError(sample.validation).headers).toEqual({});
  });

  it.each(["config", "credentials", "access"] as const)("%s tells the client a sentence, the log the cause", (code) => {
    const failure = toAnthropicError(sample[code]);
    expect(failure.message).not.toContain("999999999999");
    expect(failure.operatorDetail).toBe(SECRET_DETAIL);
  });
});

describe("Anthropic errors: the gateway's refusals", () => {
  it.each([
    [errors.unauthorized(), 401, "authentication_error"],
    [errors.notFound("/v1/x"), 404, "not_found_error"],
    [errors.methodNotAllowed("GET", "/v1/messages"), 405, "invalid_request_error"],
    [errors.bodyTooLarge(1024), 413, "request_too_large"],
    [errors.badJson(), 400, "invalid_request_error"],
    [errors.busy(), 529, "overloaded_error"],
    [errors.shuttingDown(), 529, "overloaded_error"],
    [errors.internal(), 500, "api_error"],
  ])("%s -> %i %s", (refusal, status, type) => {
    const failure = toAnthropicError(refusal);
    expect([failure.status, failure.type, failure.kind]).toEqual([status, type, refusal.kind]);
    expect(failure.headers).toEqual(refusal.headers);
  });

  it("names x-api-key in the 401", () => {
    expect(toAnthropicError(errors.unauthorized()).message).toContain("x-api-key");
  });

  it("anything else is a 500 api_error that says nothing of its cause", () => {
    const failure = toAnthropicError(new TypeError("cannot read x of undefined"));
    expect([failure.status, failure.type]).toEqual([500, "api_error"]);
    expect(failure.message).not.toContain("undefined");
  });

  it("docs/ERRORS.md lists each library code's Anthropic answer", () => {
    const doc = readFileSync(new URL("../../docs/ERRORS.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("## Gateway: Anthropic's error types"));
    for (const [code, status, type] of LIBRARY_ANSWERS) {
      expect(section).toMatch(new RegExp(`\\| \`${code}\` \\| ${status}[^|]*\\| \`${type}\``));
    }
  });
});

const BASE = { model: "claude-sonnet-4-5", max_tokens: 100 };

describe("Anthropic requests", () => {
  it("folds system entries of messages into system, in order, keeping cache_control", () => {
    const body = {
      ...BASE,
      system: "First.",
      messages: [
        { role: "system", content: [{ type: "text", text: "Second.", cache_control: { type: "ephemeral" } }] },
        { role: "user", content: "Hi" },
        { role: "system", content: "Third." },
        { role: "assistant", content: "Hello" },
      ],
    };
    const request = parseMessagesRequest({ ok: true, value: body }, undefined, false);
    expect(request.body.system).toEqual([
      { type: "text", text: "First." },
      { type: "text", text: "Second.", cache_control: { type: "ephemeral" } },
      { type: "text", text: "Third." },
    ]);
    expect(request.body.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
  });

  it("leaves a body without system entries as it is", () => {
    const body = { ...BASE, system: "Only.", messages: [{ role: "user", content: "Hi" }], extra_field: 1 };
    expect(parseMessagesRequest({ ok: true, value: body }, undefined, false).body).toEqual(body);
  });

  it("reads the anthropic-beta header, comma-separated with or without spaces", () => {
    expect(betaList("a-1, b-2,c-3")).toEqual(["a-1", "b-2", "c-3"]);
    expect(betaList(undefined)).toEqual([]);
  });

  it.each([
    [{ ...BASE, messages: [{ role: "user" }] }, "messages.0.content: Field required"],
    [{ ...BASE, messages: "hi" }, "messages: "],
    [{ max_tokens: 10, messages: [] }, "model: Field required"],
    [{ ...BASE, messages: [{ role: "tool", content: "x" }] }, "messages.0.role: "],
    [{ ...BASE, temperature: 3, messages: [] }, "temperature: "],
  ])("refuses %j: %s", (body, start) => {
    expect(() => parseMessagesRequest({ ok: true, value: body }, undefined, false)).toThrow(start);
  });

  it("count_tokens takes a body without max_tokens, and never streams", () => {
    const request = parseMessagesRequest(
      { ok: true, value: { model: "m", messages: [], stream: true } },
      undefined,
      true,
    );
    expect(request.stream).toBe(false);
  });
});

describe("the body Bedrock takes", () => {
  it("sets anthropic_version, drops model, stream and Anthropic-only fields, filters betas", () => {
    const { body, omitted } = toBedrockAnthropicBody(
      {
        model: "claude-x",
        stream: true,
        max_tokens: 10,
        messages: [],
        anthropic_beta: ["context-1m-2025-08-07"],
        speed: "fast",
        mcp_servers: [],
        context_management: { edits: [{ type: "clear_thinking_20251015" }] },
      },
      ["claude-code-20250219", "interleaved-thinking-2025-05-14"],
    );
    expect(body).toEqual({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      messages: [],
      anthropic_beta: ["context-1m-2025-08-07", "interleaved-thinking-2025-05-14"],
    });
    expect(omitted).toEqual({
      fields: ["speed", "mcp_servers", "context_management"],
      betas: ["claude-code-20250219"],
    });
  });

  it("keeps compact edits of context_management, with their beta", () => {
    const edits = [{ type: "compact_20260112" }, { type: "clear_thinking_20251015" }];
    const { body } = toBedrockAnthropicBody({ max_tokens: 10, messages: [], context_management: { edits } });
    expect(body.context_management).toEqual({ edits: [{ type: "compact_20260112" }] });
    expect(body.anthropic_beta).toEqual(["compact-2026-01-12"]);
  });

  it("drops the billing line, cache scopes, tools' custom field and metadata other than user_id", () => {
    const { body } = toBedrockAnthropicBody({
      max_tokens: 10,
      system: [
        { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.197; cch=00000;" },
        {
          type: "text",
          text: "You are Claude Code.",
          cache_control: { type: "ephemeral", ttl: "1h", scope: "global" },
        },
      ],
      messages: [
        { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral", scope: "x" } }] },
      ],
      tools: [{ name: "Read", input_schema: { type: "object" }, custom: { defer_loading: true } }],
      metadata: { user_id: "u", session: "s" },
    });
    expect(body.system).toEqual([
      { type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] },
    ]);
    expect(body.tools).toEqual([{ name: "Read", input_schema: { type: "object" } }]);
    expect(body.metadata).toEqual({ user_id: "u" });
  });
});

describe("the Converse bridge", () => {
  const signal = new AbortController().signal;

  it("turns a Messages body into the chat contract", () => {
    const request = toChatRequest(
      {
        model: "nova",
        max_tokens: 50,
        system: [{ type: "text", text: "Sys", cache_control: { type: "ephemeral", ttl: "5m" } }],
        stop_sequences: ["END"],
        tool_choice: { type: "any" },
        tools: [{ name: "f", description: "d", input_schema: { type: "object" } }],
        thinking: { type: "enabled", budget_tokens: 8000 },
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Look" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "hmm", signature: "sig" },
              { type: "text", text: "Calling." },
              { type: "tool_use", id: "t1", name: "f", input: { a: 1 } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "42" }] },
              { type: "text", text: "Go on" },
            ],
          },
        ],
      },
      signal,
    );
    expect(request).toEqual({
      signal,
      max_tokens: 50,
      stop: ["END"],
      tool_choice: "required",
      reasoning_effort: "medium",
      tools: [{ type: "function", function: { name: "f", description: "d", parameters: { type: "object" } } }],
      messages: [
        { role: "system", content: [{ type: "text", text: "Sys", cache_control: { type: "ephemeral", ttl: "5m" } }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
        {
          role: "assistant",
          content: "Calling.",
          tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
          thinking_blocks: [{ type: "thinking", thinking: "hmm", signature: "sig" }],
        },
        { role: "tool", tool_call_id: "t1", content: "42" },
        { role: "user", content: [{ type: "text", text: "Go on" }] },
      ],
    });
  });

  it("lowers max_tokens to the model's limit and leaves thinking out for a model without it", () => {
    const body = {
      model: "nova",
      max_tokens: 32_000,
      thinking: { type: "enabled", budget_tokens: 31_999 },
      messages: [{ role: "user" as const, content: "hi" }],
    };
    const request = toChatRequest(body, signal, { thinks: false, maxOutputTokens: 10_000 });
    expect(request.max_tokens).toBe(10_000);
    expect(request).not.toHaveProperty("reasoning_effort");
    expect(toChatRequest(body, signal, { thinks: true, maxOutputTokens: 64_000 })).toMatchObject({
      max_tokens: 32_000,
      reasoning_effort: "high",
    });
  });

  it("keeps cache_control on image and document blocks, and on a text document sent as text", () => {
    const hinted = { type: "ephemeral", ttl: "1h" } as const;
    const content = [
      {
        type: "image",
        source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
        cache_control: hinted,
      },
      { type: "document", source: { type: "text", media_type: "text/plain", data: "Manual" }, cache_control: hinted },
      { type: "text", text: "Summarise" },
    ];
    const body = { model: "nova", max_tokens: 64, messages: [{ role: "user" as const, content }] };
    expect(toChatRequest(body as never, signal).messages[0]).toEqual({
      role: "user",
      content: [
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" }, cache_control: hinted },
        { type: "document", document: { format: "txt", text: "Manual" }, cache_control: hinted },
        { type: "text", text: "Summarise" },
      ],
    });
    const noDocuments = { thinks: false, maxOutputTokens: 1000, documents: false };
    expect(toChatRequest(body as never, signal, noDocuments).messages[0]?.content).toContainEqual({
      type: "text",
      text: "Manual",
      cache_control: hinted,
    });
  });

  it("refuses what only Claude has", () => {
    const body = (content: unknown) => ({ model: "nova", messages: [{ role: "user" as const, content }] });
    // A PDF now reaches models that read documents; sources only Claude reads (url, file, content) are refused.
    const url = [{ type: "document", source: { type: "url", url: "https://example.com/a.pdf" } }];
    expect(() => toChatRequest(body(url) as never, signal)).toThrow("url document sources need a Claude model");
    const pdf = [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "x" } }];
    const noDocuments = { thinks: false, maxOutputTokens: 1000, documents: false };
    expect(() => toChatRequest(body(pdf) as never, signal, noDocuments)).toThrow("does not accept documents");
    const tools = { ...body("hi"), tools: [{ type: "bash_20250124", name: "bash" }] };
    expect(() => toChatRequest(tools as never, signal)).toThrow("bash_20250124 tools need a Claude model");
  });

  const usage = {
    prompt_tokens: 100,
    completion_tokens: 7,
    total_tokens: 107,
    prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 10 },
  };

  it("turns a completion into a message: thinking, text, tool use, Anthropic's usage", () => {
    const completion: ChatCompletion = {
      id: "chatcmpl-abc",
      object: "chat.completion",
      created: 0,
      model: "m",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          logprobs: null,
          message: {
            role: "assistant",
            content: "Let me check.",
            refusal: null,
            thinking_blocks: [{ type: "redacted_thinking", data: "ZZ" }],
            tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"x":2}' } }],
          },
        },
      ],
      usage,
      cost: 0.5,
    } as ChatCompletion;
    expect(toAnthropicMessage(completion, "nova")).toEqual({
      id: "msg_abc",
      type: "message",
      role: "assistant",
      model: "nova",
      content: [
        { type: "redacted_thinking", data: "ZZ" },
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "c1", name: "f", input: { x: 2 } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 30, cache_read_input_tokens: 60, cache_creation_input_tokens: 10, output_tokens: 7 },
      cost: 0.5,
    });
  });

  it("turns chunks into Anthropic's events, one block at a time", () => {
    const chunk = (delta: object, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 0,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
      ...extra,
    });
    const translator = new ChunksToEvents("nova");
    const chunks = [
      chunk({ role: "assistant", reasoning_content: "Thinking" }),
      chunk({ thinking_blocks: [{ type: "thinking", thinking: "Thinking", signature: "s1" }] }),
      chunk({ content: "Hi " }),
      chunk({ content: "there" }),
      chunk({ tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      {
        ...chunk({}),
        choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" as const, logprobs: null }],
        usage,
        cost: 0.25,
      },
    ];
    const events = chunks.flatMap((c) => translator.translate(c));
    expect(
      events.map(([name, data]) =>
        name === "content_block_delta" ? `${name}:${(data.delta as { type: string }).type}` : name,
      ),
    ).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta:thinking_delta",
      "content_block_delta:signature_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events.filter(([name]) => name === "content_block_start").map(([, data]) => data.index)).toEqual([0, 1, 2]);
    expect(events.at(-2)?.[1]).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 30, cache_read_input_tokens: 60, cache_creation_input_tokens: 10, output_tokens: 7 },
    });
    expect(events.at(-1)?.[1]).toEqual({ type: "message_stop", cost: 0.25 });
  });
});
