// Documents and citations through the Responses and Anthropic doors, with the official clients: an OpenAI
// input_file reaches Bedrock as a document and the model's citations come back as file_citation annotations
// (whole and streamed); an Anthropic document block reaches a non-Claude model (Converse) as a document, and what
// a model cannot take is a 400 in each door's own error shape.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, control, type Harness, recordedRequests, startHarness } from "./harness.js";

let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  openai = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: API_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.gateway.url, apiKey: API_KEY, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await control(h.emulator.url, "reset", {});
});

const MANUAL = "The warranty lasts two years from the date of purchase.\nReturns are accepted within 30 days.";
const FIRST_LINE = "The warranty lasts two years from the date of purchase.";
const manualData = `data:text/plain;base64,${Buffer.from(MANUAL).toString("base64")}`;
/** A one-page PDF whose text operator the emulator reads. */
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\nBT (Invoice total: 42 euros) Tj ET\n%%EOF\n").toString(
  "base64",
);
const NOVA_LITE = "amazon.nova-lite-v1:0";
const NOVA_MICRO = "amazon.nova-micro-v1:0";
const NOVA_PRO = "amazon.nova-pro-v1:0";

// biome-ignore lint/suspicious/noExplicitAny: request bodies in the emulator's log are loosely typed JSON.
async function lastBody(): Promise<any> {
  return (await recordedRequests(h.emulator.url)).at(-1)?.body;
}

/** A user message with the manual as input_file (the citations flag is the gateway's extension). */
function fileInput(citations: boolean): OpenAI.Responses.ResponseInput {
  const file = { type: "input_file", file_data: manualData, filename: "manual (v2).txt" } as const;
  const part = citations ? { ...file, citations: { enabled: true } } : file;
  return [
    {
      role: "user",
      content: [part as OpenAI.Responses.ResponseInputFile, { type: "input_text", text: "How long is the warranty?" }],
    },
  ];
}

describe("Responses door: input_file and annotations", () => {
  it("an input_file reaches Bedrock as a document with a sanitised name", async () => {
    const res = await openai.responses.create({ model: "default", input: fileInput(false) });
    expect(res.status).toBe("completed");
    const sent = await lastBody();
    expect(sent.messages[0].content[0].document).toMatchObject({ name: "manual (v2)", format: "txt" });
    expect(Buffer.from(sent.messages[0].content[0].document.source.bytes, "base64").toString()).toBe(MANUAL);
    expect(sent.messages[0].content[1]).toEqual({ text: "How long is the warranty?" });
  });

  it("citations come back as file_citation annotations on output_text", async () => {
    const res = await openai.responses.create({ model: "default", input: fileInput(true) });
    const message = res.output.find((item) => item.type === "message");
    const text = message?.type === "message" ? message.content[0] : undefined;
    if (text?.type !== "output_text") throw new Error("no output_text");
    expect(text.annotations).toHaveLength(1);
    const annotation = text.annotations[0] as OpenAI.Responses.ResponseOutputText.FileCitation & {
      source_content: string[];
      location: unknown;
    };
    expect(annotation).toMatchObject({ type: "file_citation", file_id: "manual (v2)", filename: "manual (v2)" });
    expect(text.text.slice(annotation.index)).toMatch(/^The warranty lasts two years/);
    expect(annotation.source_content).toEqual([FIRST_LINE]);
    expect(annotation.location).toEqual({ documentChar: { documentIndex: 0, start: 0, end: FIRST_LINE.length } });
    expect(res.output_text).toBe(text.text);
  });

  it("streams each citation as response.output_text.annotation.added, and the final item carries them", async () => {
    const stream = await openai.responses.create({ model: "default", input: fileInput(true), stream: true });
    const added: OpenAI.Responses.ResponseOutputTextAnnotationAddedEvent[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    let text = "";
    let textAtAnnotation = -1;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.output_text.annotation.added") {
        added.push(event);
        textAtAnnotation = text.length;
      }
      if (event.type === "response.completed") completed = event.response;
    }
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ content_index: 0, annotation_index: 0, output_index: 0 });
    const annotation = added[0]?.annotation as { index: number; filename: string };
    expect(annotation.filename).toBe("manual (v2)");
    expect(annotation.index).toBe(textAtAnnotation);
    expect(text.slice(annotation.index)).toMatch(/^The warranty lasts two years/);
    const message = completed?.output.find((item) => item.type === "message");
    const part = message?.type === "message" ? message.content[0] : undefined;
    expect(part?.type === "output_text" ? part.annotations : undefined).toEqual([added[0]?.annotation]);
  });

  it("refuses file_id and file_url with a 400 that says what works, before anything is sent", async () => {
    for (const [field, value] of [
      ["file_id", "file-abc123"],
      ["file_url", "https://example.com/a.pdf"],
    ] as const) {
      const input: OpenAI.Responses.ResponseInput = [
        { role: "user", content: [{ type: "input_file", [field]: value } as OpenAI.Responses.ResponseInputFile] },
      ];
      const error = await openai.responses.create({ model: "default", input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(bad.message).toContain(`files by ${field} are not supported`);
      expect(bad.message).toContain("file_data");
      expect(bad.param).toBe(`input[0].content[0].${field}`);
    }
    expect(await recordedRequests(h.emulator.url)).toHaveLength(0);
  });

  it("a model without document input is a 400 naming it", async () => {
    const error = await openai.responses
      .create({ model: `bedrock/${NOVA_MICRO}`, input: fileInput(false) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("does not accept documents");
  });
});

function documentQuestion(document: Anthropic.DocumentBlockParam): Anthropic.MessageParam[] {
  return [{ role: "user", content: [document, { type: "text", text: "What does it say?" }] }];
}

describe("Anthropic door, non-Claude models: documents", () => {
  it("a base64 PDF document reaches Nova as a Converse document with its title and context", async () => {
    const message = await anthropic.messages.create({
      model: NOVA_LITE,
      max_tokens: 200,
      messages: documentQuestion({
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: PDF },
        title: "Invoice: March/2026",
        context: "A supplier's invoice",
      }),
    });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content[0]?.type).toBe("text");
    const [sent] = await recordedRequests(h.emulator.url);
    expect(sent?.operation).toBe("Converse");
    const document = (await lastBody()).messages[0].content[0].document;
    expect(document).toMatchObject({ name: "Invoice March 2026", format: "pdf", context: "A supplier's invoice" });
    expect(document.source.bytes).toBe(PDF);
  });

  it("a text document reaches Nova Pro as a txt document", async () => {
    await anthropic.messages.create({
      model: NOVA_PRO,
      max_tokens: 200,
      messages: documentQuestion({
        type: "document",
        source: { type: "text", media_type: "text/plain", data: MANUAL },
        title: "manual",
      }),
    });
    const sent = await lastBody();
    expect(sent.messages[0].content[0].document).toMatchObject({ name: "manual", format: "txt" });
    expect(sent.messages[0].content[0].document.source).toEqual({ text: MANUAL });
  });

  it("citations on a model that cannot cite, and a PDF for one without documents, are Anthropic 400s", async () => {
    const cited = anthropic.messages.create({
      model: NOVA_LITE,
      max_tokens: 200,
      messages: documentQuestion({
        type: "document",
        source: { type: "text", media_type: "text/plain", data: MANUAL },
        citations: { enabled: true },
      }),
    });
    const citeError = await cited.catch((e: unknown) => e);
    expect(citeError).toBeInstanceOf(Anthropic.BadRequestError);
    const citeBody = (citeError as InstanceType<typeof Anthropic.BadRequestError>).error as {
      type: string;
      error: { type: string; message: string };
    };
    expect(citeBody.type).toBe("error");
    expect(citeBody.error.type).toBe("invalid_request_error");
    expect(citeBody.error.message).toContain("does not cite documents");

    const pdf = anthropic.messages.create({
      model: NOVA_MICRO,
      max_tokens: 200,
      messages: documentQuestion({
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: PDF },
      }),
    });
    const pdfError = await pdf.catch((e: unknown) => e);
    expect(pdfError).toBeInstanceOf(Anthropic.BadRequestError);
    expect((pdfError as Error).message).toContain("does not accept documents");
    expect(await recordedRequests(h.emulator.url)).toHaveLength(0);
  });

  it("a text document for a model without documents still goes as its text", async () => {
    await anthropic.messages.create({
      model: NOVA_MICRO,
      max_tokens: 200,
      messages: documentQuestion({
        type: "document",
        source: { type: "text", media_type: "text/plain", data: MANUAL },
      }),
    });
    expect((await lastBody()).messages[0].content[0]).toEqual({ text: MANUAL });
  });
});
