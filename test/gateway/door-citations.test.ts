// The model's citations (the chat contract's message.citations / delta.citations) in the Anthropic door's
// Converse path: text blocks with char_location / page_location / content_block_location citations, whole and
// as citations_delta events. (Only Claude cites on Bedrock, and Claude goes natively through this door, so this
// path is driven here by completions and chunks; the Responses door's annotations run end to end in
// door-content.test.ts.)
import { describe, expect, it } from "vitest";
import type { ChatCompletion, ChatCompletionChunk, CitationSource } from "../../src/chat/index.js";
import { textBlocks } from "../../src/gateway/anthropic/citations.js";
import { ChunksToEvents, toAnthropicMessage, toChatRequest } from "../../src/gateway/anthropic/converse-bridge.js";
import { annotationsOf } from "../../src/gateway/responses/annotations.js";

const signal = new AbortController().signal;
const usage = {
  prompt_tokens: 10,
  completion_tokens: 5,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
};

const charSource: CitationSource = {
  title: "manual",
  source_content: ["The warranty lasts two years."],
  location: { documentChar: { documentIndex: 0, start: 0, end: 29 } },
};
const pageSource: CitationSource = {
  title: "invoice",
  source_content: ["Total: 42"],
  location: { documentPage: { documentIndex: 1, start: 1, end: 2 } },
};
const chunkSource: CitationSource = {
  source_content: ["a", "b"],
  location: { documentChunk: { documentIndex: 2, start: 0, end: 1 } },
};

describe("Anthropic door: documents to the chat contract", () => {
  it("maps a base64 PDF and a text source to document parts with name, context and citations", () => {
    const request = toChatRequest(
      {
        model: "nova",
        max_tokens: 10,
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
                title: "Q3/report",
                context: "quarterly",
                citations: { enabled: true },
              },
              { type: "document", source: { type: "text", media_type: "text/plain", data: "hello" } },
              { type: "text", text: "Summarise." },
            ],
          },
        ],
      },
      signal,
      { thinks: false, maxOutputTokens: 100, documents: true },
    );
    expect(request.messages[0]).toEqual({
      role: "user",
      content: [
        {
          type: "document",
          document: { format: "pdf", data: "JVBERi0=", name: "Q3 report", context: "quarterly" },
          citations: { enabled: true },
        },
        { type: "document", document: { format: "txt", text: "hello" } },
        { type: "text", text: "Summarise." },
      ],
    });
  });
});

describe("Anthropic door: citations back", () => {
  it("splits the reply into plain and cited text blocks, each location in Anthropic's shape", () => {
    const text = "Answer: The warranty lasts two years. Total 42. End";
    const start = text.indexOf("The warranty");
    const completion = {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 0,
      model: "m",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          logprobs: null,
          message: {
            role: "assistant",
            content: text,
            refusal: null,
            citations: [
              { text: "The warranty lasts two years.", start, end: start + 29, sources: [charSource] },
              { text: " Total 42.", start: start + 29, end: start + 39, sources: [pageSource, chunkSource] },
            ],
          },
        },
      ],
      usage,
    } as ChatCompletion;
    const message = toAnthropicMessage(completion, "nova");
    expect(message.content).toEqual([
      { type: "text", text: "Answer: " },
      {
        type: "text",
        text: "The warranty lasts two years.",
        citations: [
          {
            type: "char_location",
            cited_text: "The warranty lasts two years.",
            document_index: 0,
            document_title: "manual",
            start_char_index: 0,
            end_char_index: 29,
            file_id: null,
          },
        ],
      },
      {
        type: "text",
        text: " Total 42.",
        citations: [
          {
            type: "page_location",
            cited_text: "Total: 42",
            document_index: 1,
            document_title: "invoice",
            start_page_number: 1,
            end_page_number: 2,
            file_id: null,
          },
          {
            type: "content_block_location",
            cited_text: "ab",
            document_index: 2,
            document_title: null,
            start_block_index: 0,
            end_block_index: 1,
            file_id: null,
          },
        ],
      },
      { type: "text", text: " End" },
    ]);
    expect(textBlocks("plain", undefined)).toEqual([{ type: "text", text: "plain" }]);
  });

  it("streams a cited passage as a text block of its own, its citations as citations_delta first", () => {
    const chunk = (delta: ChatCompletionChunk["choices"][0]["delta"]): ChatCompletionChunk => ({
      id: "chatcmpl-2",
      object: "chat.completion.chunk",
      created: 0,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
    });
    const events = new ChunksToEvents("nova");
    const out = [
      chunk({ role: "assistant", content: "From the documents: " }),
      chunk({ citations: [charSource] }),
      chunk({ content: "The warranty" }),
      chunk({ content: " lasts." }),
      chunk({ citations: [pageSource] }),
      chunk({ content: "Total 42." }),
    ].flatMap((c) => events.translate(c));
    const shapes = out.map(([name, data]) => {
      const delta = data.delta as { type?: string } | undefined;
      return `${name}:${String(data.index ?? "")}${delta?.type ? `:${delta.type}` : ""}`;
    });
    expect(shapes).toEqual([
      "message_start:",
      "content_block_start:0",
      "content_block_delta:0:text_delta",
      "content_block_stop:0",
      "content_block_start:1",
      "content_block_delta:1:citations_delta",
      "content_block_delta:1:text_delta",
      "content_block_delta:1:text_delta",
      "content_block_stop:1",
      "content_block_start:2",
      "content_block_delta:2:citations_delta",
      "content_block_delta:2:text_delta",
    ]);
    const delta = out[5]?.[1].delta as { citation: { type: string } } | undefined;
    const citation = delta?.citation;
    expect(citation).toMatchObject({ type: "char_location", document_title: "manual", start_char_index: 0 });
  });
});

describe("Responses door: annotations", () => {
  it("gives one file_citation per cited source, at its passage's start", () => {
    const annotations = annotationsOf([{ text: "x", start: 4, end: 5, sources: [charSource, pageSource] }]);
    expect(annotations).toEqual([
      {
        type: "file_citation",
        file_id: "manual",
        filename: "manual",
        index: 4,
        source_content: ["The warranty lasts two years."],
        location: { documentChar: { documentIndex: 0, start: 0, end: 29 } },
      },
      expect.objectContaining({ type: "file_citation", filename: "invoice", index: 4 }),
    ]);
    expect(annotationsOf(undefined)).toEqual([]);
  });
});
