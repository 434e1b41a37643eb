/**
 * Documents, citations, video and S3 sources, served and refused as Bedrock does: documents count toward input
 * tokens, citations come back when enabled, S3 sources follow the documented owner rules, and unsupported
 * combinations get Bedrock's messages.
 */
import { describe, expect, it } from "vitest";
import { DOCUMENT_NAME_MESSAGE, DUPLICATE_NAMES_MESSAGE } from "../../src/emulator/runtime/media.js";
import {
  converse,
  converseError,
  freshState,
  HAIKU_3,
  payloadsOf,
  SONNET_45,
  streamEvents,
  userText,
} from "./runtime-helpers.js";

const NOVA_LITE = "amazon.nova-lite-v1:0";
const NOVA_MICRO = "amazon.nova-micro-v1:0";
const TEXT = "The warranty lasts two years from the date of purchase.\nReturns are accepted within 30 days.";
const b64 = (text: string) => Buffer.from(text).toString("base64");

function docTurn(documents: Record<string, unknown>[], question = "How long is the warranty?") {
  return { role: "user", content: [...documents.map((document) => ({ document })), { text: question }] };
}

const manual = (extra: Record<string, unknown> = {}) => ({
  format: "txt",
  name: "Manual",
  source: { bytes: b64(TEXT) },
  ...extra,
});

describe("documents", () => {
  it("count toward input tokens by the token rule", async () => {
    const plain = await converse(freshState(), HAIKU_3, { messages: [docTurn([])] });
    const withDoc = await converse(freshState(), HAIKU_3, { messages: [docTurn([manual()])] });
    // ceil(bytes / 4) + the name's tokens.
    const expected = Math.ceil(Buffer.byteLength(TEXT) / 4) + Math.ceil("Manual".length / 4);
    expect(withDoc.usage.inputTokens - plain.usage.inputTokens).toBe(expected);
    const textSource = await converse(freshState(), HAIKU_3, {
      messages: [docTurn([manual({ source: { text: TEXT } })])],
    });
    expect(textSource.usage.inputTokens).toBe(withDoc.usage.inputTokens);
  });

  it("refuses names outside Bedrock's rules with its recorded messages", async () => {
    for (const name of ["John's report", "a&b", "résumé", "Report -  Final", "a\tb", "q.pdf"]) {
      const error = await converseError(freshState(), HAIKU_3, { messages: [docTurn([manual({ name })])] });
      expect([name, error.message]).toEqual([name, DOCUMENT_NAME_MESSAGE]);
    }
    const long = await converseError(freshState(), HAIKU_3, {
      messages: [docTurn([manual({ name: "a".repeat(201) })])],
    });
    expect(long.message).toBe(
      "1 validation error detected: Value at 'messages.0.member.content.0.member.document.name' failed to satisfy constraint: Member must have length less than or equal to 200",
    );
    const ok = await converse(freshState(), HAIKU_3, {
      messages: [docTurn([manual({ name: "Q3 report (final) [v2]-x" })])],
    });
    expect(ok.stopReason).toBe("end_turn");
  });

  it("refuses the same name twice in one request, across messages", async () => {
    const error = await converseError(freshState(), HAIKU_3, {
      messages: [docTurn([manual()]), { role: "assistant", content: [{ text: "ok" }] }, docTurn([manual()])],
    });
    expect(error.message).toBe(DUPLICATE_NAMES_MESSAGE);
  });

  it("are refused for models without document input, in the recorded wording", async () => {
    const error = await converseError(freshState(), NOVA_MICRO, { messages: [docTurn([manual()])] });
    expect(error.message).toBe(
      "This model doesn't support the document field for user messages. Remove document and try again.",
    );
  });
});

describe("citations", () => {
  it("come back as citationsContent when a document asks for them", async () => {
    const body = await converse(freshState(), SONNET_45, {
      messages: [docTurn([manual({ citations: { enabled: true } })])],
    });
    const content = body.output.message.content;
    expect(content[0].text).toContain("Echo: How long is the warranty?");
    expect(content[1].citationsContent).toEqual({
      content: [{ text: "The warranty lasts two years from the date of purchase." }],
      citations: [
        {
          title: "Manual",
          sourceContent: [{ text: "The warranty lasts two years from the date of purchase." }],
          location: { documentChar: { documentIndex: 0, start: 0, end: 55 } },
        },
      ],
    });
  });

  it("are absent without citations, and for documents that did not ask", async () => {
    const body = await converse(freshState(), SONNET_45, {
      messages: [docTurn([manual(), manual({ name: "Other", citations: { enabled: false } })])],
    });
    expect(body.output.message.content).toEqual([{ text: "Echo: How long is the warranty?" }]);
  });

  it("point at pages of a PDF, with its shown text", async () => {
    const pdf = "%PDF-1.4\n1 0 obj << >> stream\nBT /F1 12 Tf (Chapter one: the warranty.) Tj ET\nendstream";
    const body = await converse(freshState(), SONNET_45, {
      messages: [
        docTurn([{ format: "pdf", name: "Guide", source: { bytes: b64(pdf) }, citations: { enabled: true } }]),
      ],
    });
    const citation = body.output.message.content[1].citationsContent.citations[0];
    expect(citation.location).toEqual({ documentPage: { documentIndex: 0, start: 1, end: 2 } });
    expect(citation.sourceContent).toEqual([{ text: "Chapter one: the warranty." }]);
  });

  it("stream as citation deltas followed by the cited text, in one content block", async () => {
    const events = payloadsOf(
      await streamEvents(freshState(), SONNET_45, { messages: [docTurn([manual({ citations: { enabled: true } })])] }),
    );
    const block1 = events.filter((p) => p.contentBlockIndex === 1 && p.delta);
    expect(Object.keys(block1[0].delta)).toEqual(["citation"]);
    expect(block1[0].delta.citation.title).toBe("Manual");
    expect(
      block1
        .slice(1)
        .map((p) => p.delta.text)
        .join(""),
    ).toBe("The warranty lasts two years from the date of purchase.");
  });

  it("are refused on models that do not cite", async () => {
    const error = await converseError(freshState(), NOVA_LITE, {
      messages: [docTurn([manual({ citations: { enabled: true } })])],
    });
    expect(error.message).toBe("This model doesn't support the citations field. Remove citations and try again.");
  });
});

describe("video", () => {
  const clip = { format: "mp4", source: { bytes: b64("not really a video") } };

  it("is taken by Nova's multimodal models and counted as 3,200 tokens", async () => {
    const plain = await converse(freshState(), NOVA_LITE, { messages: [userText("Describe")] });
    const body = await converse(freshState(), NOVA_LITE, {
      messages: [{ role: "user", content: [{ video: clip }, { text: "Describe" }] }],
    });
    expect(body.usage.inputTokens - plain.usage.inputTokens).toBe(3200);
  });

  it("is refused elsewhere, and outside Bedrock's formats", async () => {
    const claude = await converseError(freshState(), HAIKU_3, {
      messages: [{ role: "user", content: [{ video: clip }, { text: "Describe" }] }],
    });
    expect(claude.message).toBe(
      "This model doesn't support the video field for user messages. Remove video and try again.",
    );
    const avi = await converseError(freshState(), NOVA_LITE, {
      messages: [{ role: "user", content: [{ video: { ...clip, format: "avi" } }, { text: "Describe" }] }],
    });
    expect(avi.message).toContain("at 'messages.0.member.content.0.member.video.format' failed to satisfy constraint");
  });
});

describe("S3 sources", () => {
  const imageAt = (uri: string, bucketOwner?: string) => ({
    role: "user",
    content: [
      { image: { format: "png", source: { s3Location: { uri, ...(bucketOwner ? { bucketOwner } : {}) } } } },
      { text: "What is this?" },
    ],
  });

  it("read objects of the caller's account; a missing object gets Bedrock's recorded message", async () => {
    const state = freshState();
    const missing = await converseError(state, NOVA_LITE, { messages: [imageAt("s3://my-bucket/none.png")] });
    expect(missing.message).toBe("The model returned the following errors: Provided S3Location not found");
    state.s3Objects.set("s3://my-bucket/cat.png", { bytes: Buffer.from("png"), owner: "123456789012" });
    expect((await converse(state, NOVA_LITE, { messages: [imageAt("s3://my-bucket/cat.png")] })).stopReason).toBe(
      "end_turn",
    );
    const self = await converse(state, NOVA_LITE, { messages: [imageAt("s3://my-bucket/cat.png", "123456789012")] });
    expect(self.stopReason).toBe("end_turn");
  });

  it("need bucketOwner for another account's bucket, and refuse a wrong one", async () => {
    const state = freshState();
    state.s3Objects.set("s3://shared-bucket/cat.png", { bytes: Buffer.from("png"), owner: "210987654321" });
    const without = await converseError(state, NOVA_LITE, { messages: [imageAt("s3://shared-bucket/cat.png")] });
    expect(without.message).toContain("set bucketOwner to that account's ID");
    const wrong = await converseError(state, NOVA_LITE, {
      messages: [imageAt("s3://shared-bucket/cat.png", "111111111111")],
    });
    expect(wrong.message).toContain("The bucketOwner doesn't own the bucket");
    const right = await converse(state, NOVA_LITE, {
      messages: [imageAt("s3://shared-bucket/cat.png", "210987654321")],
    });
    expect(right.stopReason).toBe("end_turn");
  });

  it("count a document's object bytes toward input tokens", async () => {
    const state = freshState();
    state.s3Objects.set("s3://docs-bucket/manual.txt", { bytes: Buffer.from(TEXT), owner: "123456789012" });
    const byS3 = await converse(state, NOVA_LITE, {
      messages: [
        docTurn([{ format: "txt", name: "Manual", source: { s3Location: { uri: "s3://docs-bucket/manual.txt" } } }]),
      ],
    });
    const inline = await converse(freshState(), NOVA_LITE, { messages: [docTurn([manual()])] });
    expect(byS3.usage.inputTokens).toBe(inline.usage.inputTokens);
    // The request log keeps what was sent, not the object's bytes.
  });

  it("are refused by models that do not read S3, and with malformed locations", async () => {
    const claude = await converseError(freshState(), HAIKU_3, { messages: [imageAt("s3://my-bucket/cat.png")] });
    expect(claude.message).toBe(
      "The model returned the following errors: messages.0.content.0.image.source.type: Field required",
    );
    const uri = await converseError(freshState(), NOVA_LITE, { messages: [imageAt("https://example.com/cat.png")] });
    expect(uri.message).toContain(
      "Value at 'messages.0.member.content.0.member.image.source.s3Location.uri' failed to satisfy constraint: Member must satisfy regular expression pattern",
    );
    const owner = await converseError(freshState(), NOVA_LITE, { messages: [imageAt("s3://my-bucket/cat.png", "me")] });
    expect(owner.message).toContain("s3Location.bucketOwner' failed to satisfy constraint");
  });
});

describe("requestMetadata", () => {
  const ask = (requestMetadata: unknown) => ({ messages: [userText("Hi")], requestMetadata });

  it("accepts Bedrock's keys and values", async () => {
    const body = await converse(freshState(), HAIKU_3, ask({ team: "search", "cost:center": "cc-42 / eu", empty: "" }));
    expect(body.stopReason).toBe("end_turn");
  });

  it("refuses what Bedrock refuses, without repeating keys or values", async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
    for (const [metadata, rule] of [
      [{}, "Member must have length greater than or equal to 1"],
      [tooMany, "Member must have length less than or equal to 16"],
      [{ "bad!key": "v" }, "Map keys must satisfy constraint"],
      [{ key: "secret\u0000" }, "Map values must satisfy constraint"],
      [{ key: 5 }, "Map values must satisfy constraint"],
      ["team=search", "Member must be a map"],
    ] as const) {
      const error = await converseError(freshState(), HAIKU_3, ask(metadata));
      expect(error.message).toContain(`Value at 'requestMetadata' failed to satisfy constraint: ${rule}`);
      expect(error.message).not.toContain("secret");
    }
  });
});
