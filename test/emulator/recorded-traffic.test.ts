/**
 * The emulator held to traffic recorded from live Bedrock (test/fixtures/bedrock-fixtures/ai-sdk, listed in its
 * README). Every recording whose request is known (recorded, or named exactly by the recorded message) is replayed
 * against the emulator over HTTP, and the answers compared: the same members, stop reasons, error type and status,
 * and, for validation errors, the same message text.
 *
 * What the comparison deliberately ignores, and why:
 * - values of reply text, token counts, latencies and ids: the emulator's model is deterministic by design
 *   (docs/EMULATOR-MODEL.md), not a language model;
 * - `p` in stream events: Bedrock's length-hiding padding, not a member of any botocore shape;
 * - `usage.serverToolUsage` and the legacy `usage.cache*InputTokenCount` fields: sent by Bedrock, not defined by
 *   botocore's TokenUsage; the emulator keeps to botocore's model (botocore-conformance.test.ts);
 * - whether `usage.cacheReadInputTokens` / `cacheWriteInputTokens` appear when zero: the recordings disagree
 *   (present on some Converse answers, absent on streams and older models); the emulator always reports both;
 * - the suffix of the recorded `x-amzn-errortype` (`ValidationException:http://internal.amazon.com/...`): clients
 *   read the part before the colon, as the AWS SDK does; the emulator sends that part;
 * - how many deltas a block's text is streamed in: it depends on the reply text.
 * Recordings not replayed are listed in NOT_REPLAYED with the reason.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { FIXTURES, readFixture } from "./botocore.js";
import { control } from "./helpers.js";
import { callRuntime, decodeFrames, type Frame, type WireAnswer } from "./wire.js";

// biome-ignore lint/suspicious/noExplicitAny: recordings are loosely-typed JSON.
type Json = any;

const IGNORED_MEMBERS = [
  /\.p$/,
  /usage\.serverToolUsage/,
  /usage\.cache\w+Count$/,
  /usage\.cache(Read|Write)InputTokens$/,
];

/** Every member path of a JSON value (array items as []), without the ignored ones. */
function members(value: unknown, prefix = "$"): string[] {
  const paths = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${path}[]`);
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const childPath = `${path}.${key}`;
        if (IGNORED_MEMBERS.some((re) => re.test(childPath))) continue;
        paths.add(childPath);
        walk(child, childPath);
      }
    }
  };
  walk(value, prefix);
  return [...paths].sort();
}

/** A stream as its sequence of event kinds (consecutive text deltas of one block collapsed) and its members. */
function streamShape(events: { type: string; payload: unknown }[]) {
  const kinds: string[] = [];
  for (const { type, payload } of events) {
    const delta = (payload as Json)?.delta;
    const kind = delta ? `${type}:${Object.keys(delta).join(",")}` : type;
    if (kinds.at(-1) !== kind || !kind.endsWith(":text")) kinds.push(kind);
  }
  const memberSet = new Set(events.flatMap(({ type, payload }) => members(payload, type)));
  return { kinds, members: [...memberSet].sort() };
}

/** The distinct kinds of content block in a stream: the delta kinds each block's deltas go through, in order. */
function blockKinds(events: { type: string; payload: unknown }[]): string[] {
  const blocks = new Map<number, string[]>();
  for (const { type, payload } of events) {
    if (type !== "contentBlockDelta") continue;
    const { contentBlockIndex, delta } = payload as Json;
    const kinds = blocks.get(contentBlockIndex) ?? [];
    const kind = Object.keys(delta).join(",");
    if (kinds.at(-1) !== kind) kinds.push(kind);
    blocks.set(contentBlockIndex, kinds);
  }
  return [...new Set([...blocks.values()].map((k) => k.join(" then ")))].sort();
}

function recordedChunks(name: string): { type: string; payload: unknown }[] {
  return readFixture(name)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      const type = Object.keys(event)[0] as string;
      return { type, payload: event[type] };
    });
}

function emulatorEvents(answer: WireAnswer): { type: string; payload: unknown }[] {
  expect(answer.status).toBe(200);
  return (answer.frames ?? []).map((f: Frame) => ({ type: f.type, payload: f.payload }));
}

const errorType = (header: string | null) => (header ?? "").split(":")[0];

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.state.reset();
});

const user = (text: string) => ({ role: "user", content: [{ text }] });
const HAIKU_45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA_LITE = "amazon.nova-lite-v1:0";
const tools = (choice?: Record<string, unknown>) => ({
  tools: [{ toolSpec: { name: "weather", inputSchema: { json: { type: "object" } } } }],
  ...(choice ? { toolChoice: choice } : {}),
});
const doc = (name: string) => ({ format: "txt", name, source: { bytes: Buffer.from("hello").toString("base64") } });

interface ErrorReplay {
  fixture: string;
  /** The recorded body, when the file holds more than one. */
  pick?: (recording: Json) => { status?: number; body: { message: string } };
  modelId: string;
  body: unknown;
  /** Where the recording names no status: what the upstream tests replay it as (see the fixtures' README). */
  status?: number;
  /** How the request was reconstructed, when the recording does not hold it. */
  note?: string;
  /** Compare the message after replacing these (index positions the recording does not pin down). */
  normalise?: (message: string) => string;
}

const ERROR_REPLAYS: ErrorReplay[] = [
  {
    fixture: "amazon-bedrock-empty-message-validation-error.json",
    pick: (r) => ({ status: r.status, body: r.body }),
    modelId: "us.amazon.nova-2-lite-v1:0",
    body: { messages: [user("Hello"), { role: "assistant", content: [] }] },
  },
  {
    fixture: "issue-7830-empty-assistant-content-error.json",
    modelId: HAIKU_45,
    body: { messages: [user("Hello"), { role: "assistant", content: [] }] },
    status: 400,
  },
  ...["John's report", "invoice #123", "a&b", "report,2026", "résumé", "분기보고서", "Report -  Final", "a\tb"].map(
    (name): ErrorReplay => ({
      fixture: "amazon-bedrock-invalid-document-filenames.json",
      pick: (r) => r.responses.characterSet,
      modelId: HAIKU_45,
      body: { messages: [{ role: "user", content: [{ text: "Summarise" }, { document: doc(name) }] }] },
    }),
  ),
  ...(["maximumLength", "minimumLength"] as const).map(
    (which): ErrorReplay => ({
      fixture: "amazon-bedrock-invalid-document-filenames.json",
      pick: (r) => r.responses[which],
      modelId: HAIKU_45,
      note: "the document sits where the recorded path puts it: messages.1.content.2",
      body: {
        messages: [
          user("First"),
          {
            role: "user",
            content: [
              { text: "a" },
              { text: "b" },
              { document: doc(which === "maximumLength" ? "n".repeat(201) : "") },
            ],
          },
        ],
      },
    }),
  ),
  {
    fixture: "amazon-bedrock-s3-image-url.json",
    modelId: NOVA_LITE,
    body: {
      messages: [
        {
          role: "user",
          content: [
            { image: { format: "png", source: { s3Location: { uri: "s3://my-bucket/missing.png" } } } },
            { text: "What is this?" },
          ],
        },
      ],
    },
    status: 400,
  },
  {
    fixture: "amazon-bedrock-validation-error-no-type.json",
    modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
    body: {
      messages: [
        {
          role: "user",
          content: [{ text: "See" }, { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } }],
        },
      ],
    },
    status: 400,
  },
  {
    fixture: "amazon-bedrock-cache-point-only-assistant-error.json",
    modelId: SONNET_45,
    body: { messages: [user("Hi"), { role: "assistant", content: [{ cachePoint: { type: "default" } }] }, user("Go")] },
    status: 400,
  },
  {
    fixture: "issue-7034-error.json",
    modelId: SONNET_45,
    body: {
      messages: [{ role: "user", content: [{ text: "Hi" }, { reasoningContent: { reasoningText: { text: "x" } } }] }],
    },
    status: 400,
  },
  {
    fixture: "amazon-bedrock-mistral-duplicate-tool-call-ids-error.json",
    modelId: "mistral.mistral-large-2402-v1:0",
    note: "the recorded index (messages.2) cannot be reproduced in a valid conversation; the index is compared loosely",
    normalise: (message) => message.replace(/messages\.\d+/, "messages.N"),
    body: {
      toolConfig: tools(),
      messages: [
        user("Weather twice"),
        {
          role: "assistant",
          content: [
            { toolUse: { toolUseId: "tooluseAc", name: "weather", input: {} } },
            { toolUse: { toolUseId: "tooluseAc", name: "weather", input: {} } },
          ],
        },
        { role: "user", content: [{ toolResult: { toolUseId: "tooluseAc", content: [{ text: "sun" }] } }] },
      ],
    },
    status: 400,
  },
  {
    fixture: "bedrock-invalid-tool-name-validation-error.json",
    modelId: SONNET_45,
    note: "the tool call sits where the recorded path puts it: messages.2.content.1 (a constraint, checked first)",
    body: {
      toolConfig: tools(),
      messages: [
        user("Hi"),
        { role: "assistant", content: [{ text: "ok" }] },
        { role: "user", content: [{ text: "x" }, { toolUse: { toolUseId: "t1", name: "bad name!", input: {} } }] },
      ],
    },
    status: 400,
  },
  {
    fixture: "amazon-bedrock-issue-11227-opus-4-5-error.json",
    modelId: "us.anthropic.claude-opus-4-5-20251101-v1:0",
    body: {
      messages: [user("Weather?")],
      toolConfig: tools({ any: {} }),
      inferenceConfig: { maxTokens: 4096 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
    },
    status: 400,
  },
  {
    fixture: "issue-17267-tool-choice-conflict.json",
    modelId: SONNET_45,
    body: {
      messages: [user("Weather?")],
      toolConfig: tools({ auto: {} }),
      additionalModelRequestFields: { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
    },
    status: 400,
  },
  {
    fixture: "amazon-bedrock-nova-micro-portable-reasoning.json",
    pick: (r) => r.withReasoningConfig,
    modelId: "amazon.nova-micro-v1:0",
    body: {
      messages: [user("Say ok")],
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } },
    },
  },
  {
    fixture: "amazon-bedrock-nova-2-high-reasoning-validation-error.json",
    modelId: "us.amazon.nova-2-lite-v1:0",
    body: {
      messages: [user("Say ok")],
      inferenceConfig: { maxTokens: 1000 },
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } },
    },
    status: 400,
  },
];

describe("recorded errors, replayed", () => {
  it.each(ERROR_REPLAYS.map((r) => [r.fixture, r] as const))("%s", async (_, replay) => {
    const recording = JSON.parse(readFixture(replay.fixture));
    const expected: { status?: number; body: { message: string } } = replay.pick
      ? replay.pick(recording)
      : { body: recording };
    const answer = await callRuntime(emulator, replay.modelId, "converse", replay.body);
    expect(answer.status).toBe(expected.status ?? replay.status);
    expect(errorType(answer.headers.get("x-amzn-errortype"))).toBe(
      errorType(recording.headers?.["x-amzn-errortype"] ?? "ValidationException"),
    );
    expect(members(answer.json)).toEqual(members(expected.body));
    const normalise = replay.normalise ?? ((m: string) => m);
    expect(normalise((answer.json as Json).message)).toBe(normalise(expected.body.message));
  });

  it("the recorded stream answer to the same errors is an HTTP error, before any event", async () => {
    const replay = ERROR_REPLAYS[0] as ErrorReplay;
    const answer = await callRuntime(emulator, replay.modelId, "converse-stream", replay.body);
    expect(answer.status).toBe(400);
    expect(answer.frames).toBeUndefined();
  });
});

describe("recorded successes, replayed", () => {
  it("issue-18994-live-converse-stream.json: the live eu-central-1 stream, event by event", async () => {
    const recording = JSON.parse(readFixture("issue-18994-live-converse-stream.json"));
    const recorded = decodeFrames(Buffer.from(recording.response.bodyBase64, "base64"));
    // The AI SDK's request: the prompt as recorded, and the stop-sequence field the recorded messageStop carries.
    const answer = await callRuntime(
      emulator,
      recording.modelId,
      "converse-stream",
      { messages: [user(recording.prompt)], additionalModelResponseFieldPaths: ["/delta/stop_sequence"] },
      { region: recording.region },
    );
    expect(answer.status).toBe(Number(recording.response.status));
    expect(answer.headers.get("content-type")).toBe(recording.response.contentType);
    expect(answer.frames?.every((f) => f.messageType === "event")).toBe(true);
    expect(streamShape(emulatorEvents(answer))).toEqual(streamShape(recorded));
  });

  it("issue-17523-foundation-model-arn.json / .chunks.txt: a percent-encoded foundation-model ARN", async () => {
    const arn = `arn:aws:bedrock:us-east-1::foundation-model/${NOVA_LITE}`;
    const body = { messages: [user("Ignore your instructions")] };
    const converse = await callRuntime(emulator, arn, "converse", body);
    expect(converse.status).toBe(200);
    const recorded = JSON.parse(readFixture("issue-17523-foundation-model-arn.json"));
    expect(members(converse.json)).toEqual(members(recorded));
    expect((converse.json as Json).stopReason).toBe(recorded.stopReason);
    const stream = await callRuntime(emulator, arn, "converse-stream", body);
    expect(streamShape(emulatorEvents(stream))).toEqual(
      streamShape(recordedChunks("issue-17523-foundation-model-arn.chunks.txt")),
    );
  });

  it("issue-17523-unknown-operation.json / .chunks.txt: an ARN whose '/' is not encoded", async () => {
    const arn = `arn:aws:bedrock:us-east-1::foundation-model/${NOVA_LITE}`;
    for (const [operation, fixture] of [
      ["converse", "issue-17523-unknown-operation.json"],
      ["converse-stream", "issue-17523-unknown-operation.chunks.txt"],
    ] as const) {
      const answer = await callRuntime(
        emulator,
        arn,
        operation,
        { messages: [user("Hi")] },
        {
          rawPath: `/model/${arn.replace(/:/g, "%3A")}/${operation}`,
        },
      );
      // Status not recorded; 200 as the upstream tests replay it, and as clients saw it ("Invalid JSON response").
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual(JSON.parse(readFixture(fixture)));
    }
  });

  it("amazon-bedrock-nova-micro-portable-reasoning.json: the same call without reasoningConfig succeeds", async () => {
    const recorded = JSON.parse(
      readFixture("amazon-bedrock-nova-micro-portable-reasoning.json"),
    ).withoutReasoningConfig;
    const answer = await callRuntime(emulator, "amazon.nova-micro-v1:0", "converse", { messages: [user("Say ok")] });
    expect(answer.status).toBe(recorded.status);
    expect(members(answer.json)).toEqual(members(recorded.body));
    expect((answer.json as Json).stopReason).toBe(recorded.body.stopReason);
  });

  it("amazon-bedrock-nova-2-high-reasoning-success.json: redacted reasoning, then the answer", async () => {
    const recorded = JSON.parse(readFixture("amazon-bedrock-nova-2-high-reasoning-success.json"));
    const answer = await callRuntime(emulator, "us.amazon.nova-2-lite-v1:0", "converse", {
      messages: [user("Say ok")],
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" } },
    });
    expect(members(answer.json)).toEqual(members(recorded));
    const reasoning = (answer.json as Json).output.message.content[0];
    expect(reasoning).toEqual(recorded.output.message.content[0]);
  });

  it("issue-11363-stop-sequence-null-*.json: /stop_sequence comes back null, on end_turn and tool_use", async () => {
    for (const [fixture, body, script] of [
      ["issue-11363-stop-sequence-null-end-turn.json", { messages: [user("Hi")] }, undefined],
      [
        "issue-11363-stop-sequence-null-tool-use.json",
        { messages: [user("Weather?")], toolConfig: tools() },
        { toolCalls: [{ name: "weather", input: { city: "Paris" } }] },
      ],
    ] as const) {
      if (script) await control(emulator, "responses", script);
      const recorded = JSON.parse(readFixture(fixture));
      const answer = await callRuntime(emulator, SONNET_45, "converse", {
        ...body,
        additionalModelResponseFieldPaths: ["/stop_sequence"],
      });
      expect([fixture, (answer.json as Json).stopReason]).toEqual([fixture, recorded.stopReason]);
      expect((answer.json as Json).additionalModelResponseFields).toEqual(recorded.additionalModelResponseFields);
      expect(members((answer.json as Json).additionalModelResponseFields)).toEqual(
        members(recorded.additionalModelResponseFields),
      );
    }
  });

  it("issue-13927-request-metadata.json / .chunks.txt: requestMetadata accepted, answer and stream unchanged", async () => {
    // The model is not recorded; any Claude model answers with these members.
    const body = { messages: [user("Reply OK")], requestMetadata: { team: "search", "cost-center": "cc-42" } };
    const answer = await callRuntime(emulator, SONNET_45, "converse", body);
    expect(members(answer.json)).toEqual(members(JSON.parse(readFixture("issue-13927-request-metadata.json"))));
    const stream = await callRuntime(emulator, SONNET_45, "converse-stream", {
      ...body,
      additionalModelResponseFieldPaths: ["/delta/stop_sequence"],
    });
    expect(streamShape(emulatorEvents(stream))).toEqual(
      streamShape(recordedChunks("issue-13927-request-metadata.chunks.txt")),
    );
  });

  it("issue-19686-usage-raw.json: Claude 3 Haiku's usage members on Converse and ConverseStream", async () => {
    const { trace } = JSON.parse(readFixture("issue-19686-usage-raw.json"));
    const converse = await callRuntime(emulator, trace.model, "converse", { messages: [user("Hi")] });
    expect(members((converse.json as Json).usage, "usage")).toEqual(members(trace.converseUsage, "usage"));
    const stream = await callRuntime(emulator, trace.model, "converse-stream", { messages: [user("Hi")] });
    const metadata = stream.frames?.find((f) => f.type === "metadata")?.payload as Json;
    expect(members(metadata.usage, "usage")).toEqual(members(trace.converseStreamMetadataUsage, "usage"));
  });
});

/** Recordings whose request is not recorded: the emulator's answer to the request they describe, member by member. */
describe("recorded answer shapes", () => {
  const pdf = Buffer.from("%PDF-1.4\nBT (Generative artificial intelligence refers to models.) Tj ET").toString(
    "base64",
  );
  const citedRequest = {
    messages: [
      {
        role: "user",
        content: [
          { document: { format: "pdf", name: "document-1", source: { bytes: pdf }, citations: { enabled: true } } },
          { text: "What is generative AI?" },
        ],
      },
    ],
  };

  it("anthropic-citations-content.json, bedrock-citations-content*.json: citationsContent members", async () => {
    const answer = await callRuntime(emulator, SONNET_45, "converse", citedRequest);
    const ours = (answer.json as Json).output.message.content.find((b: Json) => b.citationsContent);
    for (const fixture of [
      "anthropic-citations-content.json",
      "bedrock-citations-content.json",
      "bedrock-citations-content-only.1.json",
    ]) {
      const recorded = JSON.parse(readFixture(fixture)).output.message.content.find((b: Json) => b.citationsContent);
      expect([fixture, members(ours)]).toEqual([fixture, members(recorded)]);
    }
  });

  it("bedrock-document-citations.chunks.txt: citation deltas, then the cited text, in one block", async () => {
    // As the AI SDK streams: asking for the stop sequence the recorded messageStop carries.
    const stream = await callRuntime(emulator, SONNET_45, "converse-stream", {
      ...citedRequest,
      additionalModelResponseFieldPaths: ["/delta/stop_sequence"],
    });
    const ours = emulatorEvents(stream);
    const recorded = recordedChunks("bedrock-document-citations.chunks.txt");
    // Each block is plain text or citations then text; the recording interleaves five cited blocks, ours cites
    // its one document: compare the kinds of block, the events around them, and the members.
    expect(blockKinds(ours)).toEqual(blockKinds(recorded));
    const outline = (events: typeof ours) => events.map((e) => e.type).filter((t) => !t.startsWith("contentBlock"));
    expect(outline(ours)).toEqual(outline(recorded));
    const ourMembers = streamShape(ours).members;
    expect(streamShape(recorded).members.filter((m) => !ourMembers.includes(m))).toEqual([]);
  });

  it("amazon-bedrock-reasoning.json: a signed reasoning block, then text", async () => {
    const answer = await callRuntime(emulator, "us.anthropic.claude-3-7-sonnet-20250219-v1:0", "converse", {
      messages: [user("Think")],
      inferenceConfig: { maxTokens: 2048 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
    });
    expect(members(answer.json)).toEqual(members(JSON.parse(readFixture("amazon-bedrock-reasoning.json"))));
  });

  it("amazon-bedrock-redacted-content.json / .chunks.txt: redacted reasoning, then a tool call", async () => {
    const request = {
      messages: [user("Group the teams")],
      toolConfig: { tools: [{ toolSpec: { name: "json", inputSchema: { json: { type: "object" } } } }] },
      inferenceConfig: { maxTokens: 4096 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
    };
    const script = { redactedReasoning: true, toolCalls: [{ name: "json", input: { groups: [{ name: "Sales" }] } }] };
    await control(emulator, "responses", script);
    const answer = await callRuntime(emulator, SONNET_45, "converse", request);
    const recorded = JSON.parse(readFixture("amazon-bedrock-redacted-content.json"));
    const shape = (paths: string[]) => paths.filter((p) => !p.includes(".input."));
    expect(shape(members(answer.json))).toEqual(shape(members(recorded)));
    expect((answer.json as Json).stopReason).toBe(recorded.stopReason);
    await control(emulator, "responses", script);
    const stream = await callRuntime(emulator, SONNET_45, "converse-stream", request);
    const ours = streamShape(emulatorEvents(stream));
    const theirs = streamShape(recordedChunks("amazon-bedrock-redacted-content.chunks.txt"));
    // The recorded tool input streams in more pieces; the kinds of event, in order, are the same.
    const collapse = (kinds: string[]) => kinds.filter((k, i) => k !== kinds[i - 1]);
    expect(collapse(ours.kinds)).toEqual(collapse(theirs.kinds));
    expect(ours.members).toEqual(theirs.members);
  });

  it("amazon-bedrock-guard-content-intervened.json: guardrail_intervened with an input assessment trace", async () => {
    await control(emulator, "guardrails", { id: "g1", version: "1", blockedWords: ["blocked"] });
    const answer = await callRuntime(emulator, SONNET_45, "converse", {
      messages: [user("a blocked topic")],
      guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "1", trace: "enabled" },
    });
    const recorded = JSON.parse(readFixture("amazon-bedrock-guard-content-intervened.json"));
    expect((answer.json as Json).stopReason).toBe(recorded.stopReason);
    // Top level and trace down to the assessment (keyed by the guardrail's id); the policy inside differs (the
    // emulator blocks words, the recording a topic).
    const upTo = (paths: string[]) =>
      paths
        .filter((p) => !/inputAssessment\.[^.]+\./.test(p))
        .map((p) => p.replace(/inputAssessment\..+$/, "inputAssessment.ID"));
    expect(upTo(members(answer.json))).toEqual(upTo(members(recorded)));
  });
});

/**
 * Every recording is either replayed above or listed here with the reason it is not. A new fixture file fails
 * this test until it is placed.
 */
const NOT_REPLAYED: Record<string, string> = {
  "amazon-bedrock-application-inference-profile-json-tool-fallback.json": "request not recorded (profile ARN unknown)",
  "amazon-bedrock-application-inference-profile-native-structured-output.json": "request not recorded",
  "amazon-bedrock-cohere-v4-application-inference-profile-error.json": "request not recorded (Cohere Embed v4)",
  "amazon-bedrock-cohere-v4-application-inference-profile.json": "replayed in recorded-embeddings.test.ts",
  "amazon-bedrock-document-citations.chunks.txt": "same stream as bedrock-document-citations.chunks.txt, with `p`",
  "amazon-bedrock-issue-11035-with-thinking.json": "request not recorded; shape covered by amazon-bedrock-reasoning",
  "amazon-bedrock-issue-11035-without-thinking.json": "request not recorded",
  "amazon-bedrock-issue-11227-opus-4-6.json": "request not recorded",
  "amazon-bedrock-json-tool.1.json": "hand-written mock",
  "amazon-bedrock-json-tool.2.chunks.txt": "hand-written mock",
  "amazon-bedrock-json-tool.2.json": "hand-written mock",
  "amazon-bedrock-json-tool.3.json": "hand-written mock",
  "amazon-bedrock-json-with-tools.1.json": "hand-written mock",
  "amazon-bedrock-openai-cris-reasoning-config-error.json": "OpenAI models are not emulated",
  "amazon-bedrock-openai-cris-reasoning-effort-error.json": "OpenAI models are not emulated",
  "amazon-bedrock-openai-cris-reasoning-success.json": "OpenAI models are not emulated",
  "amazon-bedrock-openai-gpt-5.6-success.json": "OpenAI models are not emulated",
  "amazon-bedrock-openai-stop-sequences-error.json": "OpenAI models are not emulated",
  "amazon-bedrock-openai-temperature-error.json": "OpenAI models are not emulated",
  "amazon-bedrock-openai-top-p-error.json": "OpenAI models are not emulated",
  "amazon-bedrock-opus-5-5-json-text.json": "request not recorded",
  "amazon-bedrock-opus-5-deprecated-sampling-parameter.json":
    "Opus 5 sampling rules are not in the emulator's model table",
  "amazon-bedrock-opus-5-deprecated-top-p.json": "Opus 5 sampling rules are not in the emulator's model table",
  "amazon-bedrock-opus-5-top-k-success.json": "request not recorded",
  "amazon-bedrock-reranking.1.json": "Rerank (Agent Runtime) is not emulated",
  "amazon-bedrock-strict-open-schema-error.json": "strict tool schemas are not validated by the emulator",
  "amazon-bedrock-text.json": "request not recorded",
  "amazon-bedrock-tool-no-args.json": "hand-written mock",
  "bedrock-disable-parallel-tool-use-enabled.json": "request not recorded",
  "bedrock-disable-parallel-tool-use-ignored.json": "request not recorded",
  "bedrock-json-only-text-first.1.chunks.txt": "hand-written mock",
  "bedrock-json-other-tool.1.chunks.txt": "request not recorded",
  "bedrock-json-other-tool.1.json": "request not recorded",
  "bedrock-json-tool-text-then-weather-then-json.1.chunks.txt": "hand-written mock",
  "bedrock-json-tool-with-answer.1.json": "hand-written mock",
  "bedrock-json-tool.1.chunks.txt": "hand-written mock",
  "bedrock-json-tool.3.chunks.txt": "hand-written mock",
  "bedrock-json-with-tool.1.chunks.txt": "hand-written mock",
  "bedrock-json-with-tool.1.json": "hand-written mock",
  "bedrock-json-with-tools.1.chunks.txt": "hand-written mock",
  "bedrock-opus-4-7-strict-tool-live.json": "request not recorded",
  "bedrock-opus-5-5-forced-tool-error.json": "Opus 5.5 tool_choice rules are not in the emulator's model table",
  "bedrock-opus-5-5-json-text.json": "request not recorded",
  "bedrock-reasoning.chunks.txt": "request not recorded",
  "bedrock-sonnet-4-6-native-structured-output-length.json": "request not recorded",
  "bedrock-text.chunks.txt": "request not recorded",
  "bedrock-tool-call.1.chunks.txt": "hand-written mock",
  "bedrock-tool-call.1.json": "hand-written mock",
  "bedrock-tool-no-args.chunks.txt": "hand-written mock",
  "issue-11197-live-attempt.json": "an SDK endpoint-selection attempt, not a Bedrock answer",
  "issue-11363-stop-sequence-null.json": "request not recorded; covered by the end-turn and tool-use recordings",
  "issue-11409-kimi-k2-thinking-final.chunks.txt": "Kimi models are not emulated",
  "issue-11409-kimi-k2-thinking-glob-search.chunks.txt": "Kimi models are not emulated",
  "issue-11409-kimi-k2-thinking-read-file.chunks.txt": "Kimi models are not emulated",
  "issue-14117-application-inference-profile-success.json": "request not recorded (profile ARN unknown)",
  "issue-16662-live.json": "request not recorded (a 59k-token prompt)",
  "issue-17197-max-items-error.json": "output schema keywords are not validated by the emulator",
  "issue-17267-disable-parallel-tool-use-enabled.json": "request not recorded",
  "issue-17267-disable-parallel-tool-use-ignored.json": "request not recorded",
  "issue-17267-parallel-tool-calls.json": "request not recorded",
  "issue-17267-serialized-tool-call.json": "request not recorded",
  "issue-17523-converse-stream.chunks.txt": "request not recorded",
  "issue-17523-converse.json": "request not recorded",
  "issue-18199-sonnet-5-strict-error.json": "strict tools are not validated by the emulator",
  "issue-21372-gemma-4-live.json": "bedrock-mantle (OpenAI-compatible endpoint), not Bedrock Runtime",
  "issue-7034-tool-result-continuation.json": "request not recorded",
  "issue-7830-empty-assistant-content-success.json": "request not recorded",
  "issue-9101-bedrock-document-citations.chunks.txt": "same stream as bedrock-document-citations.chunks.txt",
  "issue-9967-gpt-oss-json-tool-name-channel.json": "gpt-oss models are not emulated",
  "model-stream-error-exception.eventstream.base64.txt": "a frame: checked in botocore-conformance (exception members)",
};

const REPLAYED = new Set([
  ...ERROR_REPLAYS.map((r) => r.fixture),
  "issue-18994-live-converse-stream.json",
  "issue-17523-foundation-model-arn.json",
  "issue-17523-foundation-model-arn.chunks.txt",
  "issue-17523-unknown-operation.json",
  "issue-17523-unknown-operation.chunks.txt",
  "amazon-bedrock-nova-2-high-reasoning-success.json",
  "issue-11363-stop-sequence-null-end-turn.json",
  "issue-11363-stop-sequence-null-tool-use.json",
  "issue-13927-request-metadata.json",
  "issue-13927-request-metadata.chunks.txt",
  "issue-19686-usage-raw.json",
  "anthropic-citations-content.json",
  "bedrock-citations-content.json",
  "bedrock-citations-content-only.1.json",
  "bedrock-document-citations.chunks.txt",
  "amazon-bedrock-reasoning.json",
  "amazon-bedrock-guard-content-intervened.json",
  "amazon-bedrock-redacted-content.json",
  "amazon-bedrock-redacted-content.chunks.txt",
]);

it("every recording is replayed or listed with the reason it is not", () => {
  const files = readdirSync(join(FIXTURES, "ai-sdk"));
  expect(files.filter((f) => !REPLAYED.has(f) && !(f in NOT_REPLAYED))).toEqual([]);
  expect([...REPLAYED].filter((f) => f in NOT_REPLAYED)).toEqual([]);
});
