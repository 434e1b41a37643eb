// Content through the chat-completions door with the official openai client: file parts become documents,
// citations and additional response fields come back (whole and streamed), metadata, additional request fields,
// S3 sources and video reach Bedrock, and what a model cannot take is a 400 before anything is sent.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

const MANUAL = "The warranty lasts two years from the date of purchase.\nReturns are accepted within 30 days.";
const fileData = `data:text/plain;base64,${Buffer.from(MANUAL).toString("base64")}`;
const NOVA_LITE = "amazon.nova-lite-v1:0";

// biome-ignore lint/suspicious/noExplicitAny: request bodies in the emulator's log are loosely typed JSON.
async function lastBody(): Promise<any> {
  return (await recordedRequests(h.emulator.url)).at(-1)?.body;
}

/** The openai client's file part, plus the gateway's citations extension. */
function fileQuestion(citations: boolean): OpenAI.ChatCompletionMessageParam[] {
  const file = { type: "file", file: { file_data: fileData, filename: "manual.txt" } } as const;
  const part = citations ? { ...file, citations: { enabled: true } } : file;
  return [
    {
      role: "user",
      content: [part as OpenAI.ChatCompletionContentPart, { type: "text", text: "How long is the warranty?" }],
    },
  ];
}

// The gateway's extension fields, on top of the openai client's types.
type Cited = OpenAI.ChatCompletionMessage & { citations?: { text: string; start: number; end: number }[] };
type WithFields = { additional_model_response_fields?: Record<string, unknown> };

describe("gateway: documents and citations", () => {
  it("an OpenAI file part reaches Bedrock as a document with a sanitised name", async () => {
    const res = await client.chat.completions.create({ model: "default", messages: fileQuestion(false) });
    expect(res.choices[0]?.finish_reason).toBe("stop");
    expect((await lastBody()).messages[0].content[0].document).toMatchObject({ name: "manual", format: "txt" });
  });

  it("citations come back on the message, and as delta.citations in the stream", async () => {
    const res = await client.chat.completions.create({ model: "default", messages: fileQuestion(true) });
    const message = res.choices[0]?.message as Cited;
    expect(message.citations?.[0]?.text).toBe("The warranty lasts two years from the date of purchase.");
    expect(message.content?.slice(message.citations?.[0]?.start, message.citations?.[0]?.end)).toBe(
      message.citations?.[0]?.text,
    );
    const stream = await client.chat.completions.create({
      model: "default",
      messages: fileQuestion(true),
      stream: true,
    });
    const cited: unknown[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { citations?: unknown[] } | undefined;
      if (delta?.citations) cited.push(...delta.citations);
    }
    expect(cited).toEqual([expect.objectContaining({ title: "manual" })]);
  });

  it("a model without documents is a 400 naming it, before anything is sent", async () => {
    const error = await client.chat.completions
      .create({ model: "amazon.nova-micro-v1:0", messages: fileQuestion(false) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/does not accept documents/);
    expect(await recordedRequests(h.emulator.url)).toEqual([]);
  });
});

describe("gateway: pass-through fields", () => {
  it("metadata, additional request fields and response field paths, with the fields returned", async () => {
    const res = (await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Hi" }],
      metadata: { team: "search" },
      // The gateway's extensions: the openai client passes unknown fields through.
      additional_model_request_fields: { top_k: 3 },
      additional_model_response_field_paths: ["/stop_sequence"],
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)) as OpenAI.ChatCompletion & WithFields;
    const body = await lastBody();
    expect(body.requestMetadata).toEqual({ team: "search" });
    expect(body.additionalModelRequestFields).toEqual({ top_k: 3 });
    expect(res.additional_model_response_fields).toEqual({ stop_sequence: null });
  });

  it("streams the returned fields on the last chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      additional_model_response_field_paths: ["/delta/stop_sequence"],
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    let fields: unknown;
    for await (const chunk of stream) fields ??= (chunk as WithFields).additional_model_response_fields;
    expect(fields).toEqual({ delta: { stop_sequence: null } });
  });

  it("refuses malformed pass-through fields with a 400 naming the parameter", async () => {
    const error = await client.chat.completions
      .create({
        model: "default",
        messages: [{ role: "user", content: "Hi" }],
        additional_model_response_field_paths: "stop_sequence",
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("additional_model_response_field_paths");
  });
});

describe("gateway: S3 sources and video (Amazon Nova)", () => {
  it("an s3:// image and a video reach Bedrock", async () => {
    await control(h.emulator.url, "s3-objects", { uri: "s3://media-bucket/cat.png", base64: "iVBORw0KGgo=" });
    const video = `data:video/mp4;base64,${Buffer.from("\u0000\u0000\u0000\u0018ftypmp42").toString("base64")}`;
    const res = await client.chat.completions.create({
      model: NOVA_LITE,
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "s3://media-bucket/cat.png" } },
            { type: "video_url", video_url: { url: video } } as unknown as OpenAI.ChatCompletionContentPart,
            { type: "text", text: "What is shown?" },
          ],
        },
      ],
    });
    expect(res.choices[0]?.finish_reason).toBe("stop");
    const content = (await lastBody()).messages[0].content;
    expect(content[0].image.source).toEqual({ s3Location: { uri: "s3://media-bucket/cat.png" } });
    expect(content[1].video.format).toBe("mp4");
  });
});
