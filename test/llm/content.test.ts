/**
 * Content in and out of the core, through the library against the emulator: documents (OpenAI file parts and
 * document parts) with sanitised unique names, capability checks before sending, citations on the message and in
 * stream chunks, S3 sources and video for Nova, requestMetadata, additional model fields, cacheDetails priced per
 * TTL, and token counting.
 */
import { describe, expect } from "vitest";
import { sanitiseDocumentName } from "../../src/bedrock/document-names.js";
import type { ChatCompletionChunk, ChatMessage } from "../../src/chat/index.js";
import { ValidationError } from "../../src/errors.js";
import type { EmulatorControl } from "../support/fixtures.js";
import { it } from "./emulator.js";
import { HAIKU_3, SONNET_45, TITAN } from "./helpers.js";

const NOVA_LITE = "amazon.nova-lite-v1:0";
const NOVA_MICRO = "amazon.nova-micro-v1:0";
const MANUAL = "The warranty lasts two years from the date of purchase.\nReturns are accepted within 30 days.";
const b64 = (text: string) => Buffer.from(text).toString("base64");

// biome-ignore lint/suspicious/noExplicitAny: request bodies in the emulator's log are loosely typed JSON.
async function lastBody(control: EmulatorControl): Promise<any> {
  const requests = await control.requests();
  return requests.at(-1)?.body;
}

function ask(parts: unknown[], text = "How long is the warranty?"): ChatMessage[] {
  return [{ role: "user", content: [...parts, { type: "text", text }] } as ChatMessage];
}

const filePart = (filename: string, data = `data:text/plain;base64,${b64(MANUAL)}`, extra = {}) => ({
  type: "file",
  file: { file_data: data, filename },
  ...extra,
});

describe("documents", () => {
  it("an OpenAI file part becomes a Converse document, counted toward input tokens", async ({ control, llmFor }) => {
    const llm = llmFor(HAIKU_3);
    const plain = await llm.completion({ messages: ask([]) });
    const withDoc = await llm.completion({ messages: ask([filePart("manual.txt")]) });
    const body = await lastBody(control);
    expect(body.messages[0].content[0]).toEqual({
      document: { name: "manual", format: "txt", source: { bytes: b64(MANUAL) } },
    });
    expect(withDoc.usage.prompt_tokens).toBeGreaterThan(plain.usage.prompt_tokens + MANUAL.length / 4 - 1);
  });

  it("takes the format from the name, the data URL's type or the bytes, and an explicit document part", async ({
    control,
    llmFor,
  }) => {
    const llm = llmFor(HAIKU_3);
    const pdf = b64("%PDF-1.4\nBT (Chapter one) Tj ET");
    await llm.completion({
      messages: ask([
        filePart("Q3 report.PDF", pdf),
        filePart("notes", `data:text/markdown;base64,${b64("# notes")}`),
        filePart("scan", pdf),
        { type: "document", document: { name: "Inline text", text: "Plain words." } },
        { type: "document", document: { name: "table.csv", data: b64("a,b\n1,2") } },
      ]),
    });
    const documents = (await lastBody(control)).messages[0].content
      .filter((b: { document?: unknown }) => b.document)
      .map((b: { document: { name: string; format: string } }) => [b.document.name, b.document.format]);
    expect(documents).toEqual([
      ["Q3 report", "pdf"],
      ["notes", "md"],
      ["scan", "pdf"],
      ["Inline text", "txt"],
      ["table", "csv"],
    ]);
  });

  it("sanitises names to Bedrock's rules and keeps them unique across the request", async ({ control, llmFor }) => {
    expect(sanitiseDocumentName("John's report_v2.final.pdf")).toBe("John s report v2 final");
    expect(sanitiseDocumentName("résumé.docx")).toBe("resume");
    expect(sanitiseDocumentName("분기보고서.pdf")).toBe("document");
    expect(sanitiseDocumentName("Report -  Final\t(v2) [draft].txt")).toBe("Report - Final (v2) [draft]");
    expect(sanitiseDocumentName(`${"x".repeat(250)}.pdf`)).toHaveLength(200);
    const llm = llmFor(HAIKU_3);
    const reply = await llm.completion({
      messages: [
        ...ask([filePart("a&b.txt"), filePart("A B.txt")], "first"),
        { role: "assistant", content: "ok" },
        ...ask([filePart("a b.md", `data:text/plain;base64,${b64("x")}`), filePart("")], "again"),
      ],
    });
    expect(reply.choices[0]?.finish_reason).toBe("stop");
    const names = (await lastBody(control)).messages.flatMap((m: { content: { document?: { name: string } }[] }) =>
      m.content.filter((b) => b.document).map((b) => b.document?.name),
    );
    expect(names).toEqual(["a b", "A B (2)", "a b (3)", "document"]);
  });

  it("refuses documents for a model without them, and what Bedrock cannot take, before sending", async ({
    control,
    llmFor,
  }) => {
    const cases: [string, unknown[], RegExp][] = [
      [NOVA_MICRO, [filePart("manual.txt")], /does not accept documents/],
      [HAIKU_3, [{ type: "file", file: { file_id: "file-abc" } }], /file_id are not supported/],
      [HAIKU_3, [filePart("blob", b64("\u0000\u0001binary"))], /cannot tell the document's format/],
      [HAIKU_3, [{ type: "document", document: { name: "x", text: "a", data: b64("b") } }], /exactly one of/],
      [TITAN, [filePart("manual.txt", undefined, { citations: { enabled: true } })], /does not cite documents/],
    ];
    for (const [model, parts, message] of cases) {
      const error = await llmFor(model)
        .completion({ messages: ask(parts) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await control.requests()).toEqual([]);
  });
});

describe("citations", () => {
  const cited = () => ask([filePart("manual.txt", undefined, { citations: { enabled: true } })]);

  it("come back on the message: the cited text in content, with where it sits and its sources", async ({
    control,
    llmFor,
  }) => {
    const reply = await llmFor(SONNET_45).completion({ messages: cited() });
    expect((await lastBody(control)).messages[0].content[0].document.citations).toEqual({ enabled: true });
    const message = reply.choices[0]?.message;
    const citation = message?.citations?.[0];
    expect(citation?.text).toBe("The warranty lasts two years from the date of purchase.");
    expect(message?.content?.slice(citation?.start, citation?.end)).toBe(citation?.text);
    expect(citation?.sources).toEqual([
      {
        title: "manual",
        source_content: ["The warranty lasts two years from the date of purchase."],
        location: { documentChar: { documentIndex: 0, start: 0, end: 55 } },
      },
    ]);
  });

  it("stream as delta.citations ahead of the text they support", async ({ llmFor }) => {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of llmFor(SONNET_45).stream({ messages: cited() })) chunks.push(chunk);
    const at = chunks.findIndex((c) => c.choices[0]?.delta.citations);
    expect(at).toBeGreaterThan(0);
    expect(chunks[at]?.choices[0]?.delta.citations?.[0]?.title).toBe("manual");
    const after = chunks
      .slice(at + 1)
      .map((c) => c.choices[0]?.delta.content ?? "")
      .join("");
    expect(after).toBe("The warranty lasts two years from the date of purchase.");
  });
});

describe("S3 and video (Amazon Nova)", () => {
  it("reads images, documents and video from S3, with bucket_owner for another account's bucket", async ({
    control,
    llmFor,
  }) => {
    await control.putS3Object({ uri: "s3://media-bucket/cat.png", base64: "iVBORw0KGgo=" });
    await control.putS3Object({ uri: "s3://shared-docs/manual.txt", text: MANUAL, owner: "210987654321" });
    await control.putS3Object({ uri: "s3://media-bucket/clip.mp4", base64: "AAAAGGZ0eXA=" });
    const reply = await llmFor(NOVA_LITE).completion({
      messages: ask([
        { type: "image_url", image_url: { url: "s3://media-bucket/cat.png" } },
        { type: "file", file: { file_data: "s3://shared-docs/manual.txt", bucket_owner: "210987654321" } },
        { type: "video_url", video_url: { url: "s3://media-bucket/clip.mp4" } },
      ]),
    });
    expect(reply.choices[0]?.finish_reason).toBe("stop");
    const content = (await lastBody(control)).messages[0].content;
    expect(content.slice(0, 3)).toEqual([
      { image: { format: "png", source: { s3Location: { uri: "s3://media-bucket/cat.png" } } } },
      {
        document: {
          name: "manual",
          format: "txt",
          source: { s3Location: { uri: "s3://shared-docs/manual.txt", bucketOwner: "210987654321" } },
        },
      },
      { video: { format: "mp4", source: { s3Location: { uri: "s3://media-bucket/clip.mp4" } } } },
    ]);
  });

  it("sends inline video, and refuses video or S3 where the model cannot take them", async ({ control, llmFor }) => {
    const mp4 = `data:video/mp4;base64,${b64("\u0000\u0000\u0000\u0018ftypmp42")}`;
    await llmFor(NOVA_LITE).completion({ messages: ask([{ type: "video_url", video_url: { url: mp4 } }]) });
    expect((await lastBody(control)).messages[0].content[0].video.format).toBe("mp4");
    const refusals: [string, unknown, RegExp][] = [
      [HAIKU_3, { type: "video_url", video_url: { url: mp4 } }, /does not accept video/],
      [HAIKU_3, { type: "image_url", image_url: { url: "s3://media-bucket/cat.png" } }, /cannot read images from S3/],
      [NOVA_LITE, { type: "image_url", image_url: { url: "s3://Bad_Bucket/cat.png" } }, /not an S3 object URI/],
      [
        NOVA_LITE,
        { type: "image_url", image_url: { url: "s3://media-bucket/cat.png", bucket_owner: "me" } },
        /12-digit/,
      ],
    ];
    for (const [model, part, message] of refusals) {
      await expect(llmFor(model).completion({ messages: ask([part]) })).rejects.toThrow(message);
    }
  });

  it("surfaces Bedrock's answer for an object that is not there", async ({ llmFor }) => {
    const error = await llmFor(NOVA_LITE)
      .completion({ messages: ask([{ type: "image_url", image_url: { url: "s3://media-bucket/none.png" } }]) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain("Provided S3Location not found");
  });
});

describe("pass-through fields", () => {
  it("request_metadata from the configuration, with the request's metadata over it", async ({ control, llmFor }) => {
    const llm = llmFor(HAIKU_3, { request_metadata: { team: "search", env: "prod" } });
    await llm.completion({ messages: ask([]), metadata: { env: "staging", "ticket-id": "T-42" } });
    expect((await lastBody(control)).requestMetadata).toEqual({ team: "search", env: "staging", "ticket-id": "T-42" });
    await expect(llm.completion({ messages: ask([]), metadata: { "no!": "x" } })).rejects.toThrow(/metadata key "no!"/);
  });

  it("additional_model_request_fields and _response_field_paths, with the fields on the response", async ({
    control,
    llmFor,
  }) => {
    const llm = llmFor(HAIKU_3);
    const reply = await llm.completion({
      messages: ask([]),
      additional_model_request_fields: { top_k: 5 },
      additional_model_response_field_paths: ["/stop_sequence", "/usage/output_tokens"],
    });
    const body = await lastBody(control);
    expect(body.additionalModelRequestFields).toEqual({ top_k: 5 });
    expect(body.additionalModelResponseFieldPaths).toEqual(["/stop_sequence", "/usage/output_tokens"]);
    expect(reply.additional_model_response_fields).toEqual({
      stop_sequence: null,
      usage: { output_tokens: reply.usage.completion_tokens },
    });
    const chunks: ChatCompletionChunk[] = [];
    const stream = llm.stream({ messages: ask([]), additional_model_response_field_paths: ["/delta/stop_sequence"] });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.additional_model_response_fields).toEqual({ delta: { stop_sequence: null } });
    await expect(
      llm.completion({ messages: ask([]), additional_model_response_field_paths: ["stop_sequence"] }),
    ).rejects.toThrow(/not a JSON Pointer/);
  });

  it("merges additional fields over the mapping's own (thinking stays, the caller's keys win)", async ({
    control,
    llmFor,
  }) => {
    await llmFor(SONNET_45, { reasoning_effort: "low" }).completion({
      messages: ask([]),
      additional_model_request_fields: { anthropic_beta: [] },
    });
    const fields = (await lastBody(control)).additionalModelRequestFields;
    expect(fields.thinking?.type).toBe("enabled");
    expect(fields.anthropic_beta).toEqual([]);
  });
});

describe("cacheDetails", () => {
  it("splits cache writes per TTL in usage and prices each TTL at its own rate", async ({ llmFor }) => {
    const system = "You are a careful assistant. ".repeat(400);
    const llm = llmFor(SONNET_45, { caching_prompt: true, cache_ttl: "1h" });
    const reply = await llm.completion({ messages: [{ role: "system", content: system }, ...ask([])] });
    const details = reply.usage.prompt_tokens_details;
    expect(details.cache_write_tokens).toBeGreaterThan(0);
    expect(details.cache_write_tokens_by_ttl).toEqual({ "1h": details.cache_write_tokens });
    // Sonnet 4.5: input $3, output $15, 1h writes $6 per 1M tokens.
    const plain = reply.usage.prompt_tokens - details.cached_tokens - details.cache_write_tokens;
    const expected = (plain * 3 + reply.usage.completion_tokens * 15 + details.cache_write_tokens * 6) / 1e6;
    expect(reply.cost).toBeCloseTo(expected, 12);
  });
});

describe("countTokens", () => {
  it("counts through Bedrock's CountTokens, for the request as it would be sent", async ({ control, llmFor }) => {
    const llm = llmFor(SONNET_45);
    const messages = ask([filePart("manual.txt")]);
    const count = await llm.countTokens({ messages });
    expect(count).toEqual({ input_tokens: expect.any(Number), source: "bedrock", model: SONNET_45 });
    const requests = await control.requests();
    expect(requests.map((r) => [r.operation, r.modelId])).toEqual([["CountTokens", SONNET_45]]);
    const reply = await llm.completion({ messages });
    expect(count.input_tokens).toBe(reply.usage.prompt_tokens);
  });

  it("falls back to the local estimate, saying so, where Bedrock cannot count", async ({ llmFor }) => {
    const count = await llmFor(NOVA_LITE).countTokens({ messages: ask([]) });
    expect(count.source).toBe("estimate");
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(count.reason).toMatch(/doesn't support counting tokens/);
  });
});

describe("ill-typed content from JavaScript callers", () => {
  it("gets a ValidationError naming the field, before anything is sent", async ({ control, llmFor }) => {
    const llm = llmFor(NOVA_LITE);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ messages: ask([{ type: "file" }]) }, /file parts need a file object/],
      [{ messages: ask([{ type: "document", document: "x" }]) }, /document parts need a document object/],
      [{ messages: ask([{ type: "video_url", video_url: 5 }]) }, /video_url parts need a video_url object/],
      [{ messages: ask([]), metadata: "team=search" }, /metadata must be an object/],
      [{ messages: ask([]), additional_model_request_fields: [] }, /additional_model_request_fields must be/],
      [{ messages: ask([]), additional_model_response_field_paths: "/x" }, /must be an array/],
    ];
    for (const [request, message] of cases) {
      await expect(llm.completion(request as never)).rejects.toThrow(message);
    }
    expect(await control.requests()).toEqual([]);
  });
});
