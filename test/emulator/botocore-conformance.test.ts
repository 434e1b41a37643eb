/**
 * Everything the emulator answers on Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream, held
 * to botocore's model of the Bedrock Runtime API: response bodies and stream events with no member the model does
 * not define and every required member present, exception frames only of types the operation's stream defines,
 * errors only of names the operation (or AWS's common errors) define, with the model's status and body members.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BEDROCK_ERRORS } from "../../src/emulator/bedrock-errors.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { frameProblems, loadModel, operationErrors, shapeProblems, streamUnion } from "./botocore.js";
import { control } from "./helpers.js";
import { callRuntime, type WireAnswer } from "./wire.js";

const model = loadModel("bedrock-runtime-service-2.json");

/** Errors every AWS service may return that service models do not list (authentication, routing, parsing). */
const COMMON_ERRORS = new Set([
  "AccessDeniedException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "ExpiredTokenException",
  "SerializationException",
  "UnknownOperationException",
]);

const HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";
const SONNET_37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA_LITE = "amazon.nova-lite-v1:0";

const user = (text: string) => ({ role: "user", content: [{ text }] });
const weatherTool = {
  toolSpec: {
    name: "get_weather",
    description: "Weather for a city",
    inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
};

interface Scenario {
  name: string;
  modelId: string;
  body: Record<string, unknown>;
  /** Control-API calls that set the scene (scripted replies, guardrails). */
  setup?: [string, unknown][];
}

const LONG_SYSTEM = "You answer questions about the weather in great detail. ".repeat(100);

const CONVERSE_SCENARIOS: Scenario[] = [
  { name: "plain text", modelId: HAIKU_3, body: { messages: [user("Hello there")] } },
  {
    name: "forced tool call",
    modelId: HAIKU_3,
    body: { messages: [user("Weather?")], toolConfig: { tools: [weatherTool], toolChoice: { any: {} } } },
  },
  {
    name: "answer to tool results",
    modelId: HAIKU_3,
    body: {
      messages: [
        user("Weather in Paris?"),
        {
          role: "assistant",
          content: [{ toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Paris" } } }],
        },
        {
          role: "user",
          content: [{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "Sunny" }], status: "success" } }],
        },
      ],
      toolConfig: { tools: [weatherTool] },
    },
  },
  {
    name: "scripted reasoning, text and tool calls",
    modelId: SONNET_45,
    body: { messages: [user("Go")], toolConfig: { tools: [weatherTool] } },
    setup: [
      ["responses", { text: "Checking.", reasoning: "Think first.", toolCalls: [{ name: "get_weather", input: {} }] }],
    ],
  },
  {
    name: "extended thinking",
    modelId: SONNET_37,
    body: {
      messages: [user("Think about it")],
      inferenceConfig: { maxTokens: 2048 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
    },
  },
  {
    name: "structured output",
    modelId: SONNET_45,
    body: {
      messages: [user("A city")],
      outputConfig: {
        textFormat: {
          type: "json_schema",
          structure: {
            jsonSchema: { schema: JSON.stringify({ type: "object", properties: { c: { type: "string" } } }) },
          },
        },
      },
    },
  },
  {
    name: "stop sequence",
    modelId: HAIKU_3,
    body: { messages: [user("one two three")], inferenceConfig: { stopSequences: ["two"] } },
  },
  {
    name: "max tokens",
    modelId: HAIKU_3,
    body: { messages: [user("a b c d e f g h")], inferenceConfig: { maxTokens: 2 } },
  },
  {
    name: "guardrail intervention with trace",
    modelId: HAIKU_3,
    body: {
      messages: [user("say forbidden things")],
      guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "DRAFT", trace: "enabled" },
    },
    setup: [["guardrails", { id: "g1", version: "DRAFT", blockedWords: ["forbidden"] }]],
  },
  {
    name: "prompt cache write with cacheDetails",
    modelId: SONNET_45,
    body: {
      system: [{ text: LONG_SYSTEM }, { cachePoint: { type: "default", ttl: "1h" } }],
      messages: [user("Weather?")],
    },
  },
  {
    name: "redacted reasoning",
    modelId: SONNET_37,
    body: {
      messages: [user("Think")],
      inferenceConfig: { maxTokens: 2048 },
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
    },
    setup: [["responses", { redactedReasoning: true, text: "Done." }]],
  },
  {
    name: "document citations, request metadata and response field paths",
    modelId: SONNET_45,
    body: {
      messages: [
        {
          role: "user",
          content: [
            {
              document: {
                format: "txt",
                name: "Manual",
                source: { bytes: Buffer.from("Warranty: two years.").toString("base64") },
                citations: { enabled: true },
              },
            },
            { text: "How long?" },
          ],
        },
      ],
      requestMetadata: { team: "search" },
      additionalModelResponseFieldPaths: ["/stop_sequence", "/delta/stop_sequence"],
    },
  },
  {
    name: "Nova 2 reasoning and a video from S3",
    modelId: "us.amazon.nova-2-lite-v1:0",
    body: {
      messages: [
        {
          role: "user",
          content: [
            { video: { format: "mp4", source: { s3Location: { uri: "s3://clips/a.mp4" } } } },
            { text: "What?" },
          ],
        },
      ],
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } },
    },
    setup: [["s3-objects", { uri: "s3://clips/a.mp4", base64: "AAAA" }]],
  },
  {
    name: "service tier and latency",
    modelId: NOVA_LITE,
    body: { messages: [user("Fast")], serviceTier: { type: "priority" }, performanceConfig: { latency: "optimized" } },
  },
];

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

async function run(scenario: Scenario, operation: string): Promise<WireAnswer> {
  for (const [path, body] of scenario.setup ?? []) expect((await control(emulator, path, body)).status).toBe(200);
  return callRuntime(emulator, scenario.modelId, operation, scenario.body);
}

function streamProblems(operation: string, answer: WireAnswer): string[] {
  return (answer.frames ?? []).flatMap((f) => frameProblems(model, operation, f.messageType, f.type, f.payload));
}

function errorProblems(operation: string, answer: WireAnswer): string[] {
  const name = answer.headers.get("x-amzn-errortype") ?? "";
  const defined = operationErrors(model, operation);
  if (COMMON_ERRORS.has(name) && !defined.has(name)) return [];
  const status = defined.get(name);
  if (status === undefined) return [`${operation} defines no error ${name}`];
  const problems = shapeProblems(model, name, answer.json, name);
  if (status !== answer.status) problems.push(`${name}: status ${answer.status}, the model says ${status}`);
  return problems;
}

describe("Converse responses", () => {
  it.each(CONVERSE_SCENARIOS)("$name: a valid ConverseResponse", async (scenario) => {
    const answer = await run(scenario, "converse");
    expect(answer.status).toBe(200);
    expect(shapeProblems(model, "ConverseResponse", answer.json)).toEqual([]);
  });

  it("a cache read is a valid ConverseResponse too", async () => {
    const scenario = CONVERSE_SCENARIOS.find((s) => s.name.startsWith("prompt cache")) as Scenario;
    await run(scenario, "converse");
    const second = await run(scenario, "converse");
    expect((second.json as { usage: { cacheReadInputTokens: number } }).usage.cacheReadInputTokens).toBeGreaterThan(0);
    expect(shapeProblems(model, "ConverseResponse", second.json)).toEqual([]);
  });
});

describe("ConverseStream events", () => {
  it.each(CONVERSE_SCENARIOS)("$name: every event a member of ConverseStreamOutput", async (scenario) => {
    const answer = await run(scenario, "converse-stream");
    expect(answer.status).toBe(200);
    expect(answer.frames?.length).toBeGreaterThan(3);
    expect(streamProblems("ConverseStream", answer)).toEqual([]);
  });
});

const NATIVE_BODIES: Scenario[] = [
  {
    name: "Anthropic Messages",
    modelId: HAIKU_3,
    body: { anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "Hi" }] },
  },
  {
    name: "Titan Text",
    modelId: "amazon.titan-text-express-v1",
    body: { inputText: "Hi", textGenerationConfig: { maxTokenCount: 50 } },
  },
  {
    name: "Nova messages-v1",
    modelId: NOVA_LITE,
    body: { schemaVersion: "messages-v1", messages: [user("Hi")], inferenceConfig: { max_new_tokens: 50 } },
  },
  { name: "Llama prompt", modelId: "meta.llama3-1-8b-instruct-v1:0", body: { prompt: "Hi", max_gen_len: 50 } },
  { name: "Mistral prompt", modelId: "mistral.mistral-large-2402-v1:0", body: { prompt: "Hi", max_tokens: 50 } },
];

describe("InvokeModel and InvokeModelWithResponseStream", () => {
  it.each(NATIVE_BODIES)("$name: InvokeModelResponse's required contentType, a JSON payload", async (scenario) => {
    const answer = await run(scenario, "invoke");
    expect(answer.status).toBe(200);
    // The body is the payload (a blob the model does not describe); contentType travels as Content-Type.
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.json).toBeTypeOf("object");
  });

  it.each(NATIVE_BODIES)("$name: every stream event a member of ResponseStream", async (scenario) => {
    const answer = await run(scenario, "invoke-with-response-stream");
    expect(answer.status).toBe(200);
    expect(answer.frames?.every((f) => f.type === "chunk")).toBe(true);
    expect(streamProblems("InvokeModelWithResponseStream", answer)).toEqual([]);
  });
});

describe("exception frames", () => {
  const errorNames = Object.keys(BEDROCK_ERRORS);
  const streams = [
    { operation: "ConverseStream", path: "converse-stream", scenario: CONVERSE_SCENARIOS[0] as Scenario },
    { operation: "InvokeModelWithResponseStream", path: "invoke-with-response-stream", scenario: NATIVE_BODIES[0] },
  ] as const;

  for (const { operation, path, scenario } of streams) {
    it.each(errorNames)(`${operation}: a mid-stream %s is a frame the stream defines`, async (error) => {
      await control(emulator, "faults", { operation, error, afterEvents: 1 });
      const answer = await run(scenario as Scenario, path);
      const last = answer.frames?.at(-1);
      expect(last?.messageType).toBe("exception");
      expect(streamProblems(operation, answer)).toEqual([]);
    });
  }

  it("ConverseStream sends a ModelTimeoutException as modelStreamErrorException with the original status", async () => {
    await control(emulator, "faults", { operation: "ConverseStream", error: "ModelTimeoutException", afterEvents: 2 });
    const answer = await run(CONVERSE_SCENARIOS[0] as Scenario, "converse-stream");
    expect(answer.frames?.at(-1)).toEqual({
      messageType: "exception",
      type: "modelStreamErrorException",
      payload: {
        message: BEDROCK_ERRORS.ModelStreamErrorException?.message,
        originalStatusCode: 408,
        originalMessage: BEDROCK_ERRORS.ModelTimeoutException?.message,
      },
    });
  });

  it("InvokeModelWithResponseStream keeps modelTimeoutException, a member of its stream", async () => {
    const union = streamUnion(model, "InvokeModelWithResponseStream");
    expect(union.members?.modelTimeoutException).toBeDefined();
    await control(emulator, "faults", { operation: "InvokeModelWithResponseStream", error: "ModelTimeoutException" });
    await control(emulator, "faults", {
      operation: "InvokeModelWithResponseStream",
      error: "ModelTimeoutException",
      afterEvents: 1,
    });
    expect((await run(NATIVE_BODIES[0] as Scenario, "invoke-with-response-stream")).status).toBe(408);
    const answer = await run(NATIVE_BODIES[0] as Scenario, "invoke-with-response-stream");
    expect(answer.frames?.at(-1)?.type).toBe("modelTimeoutException");
  });
});

describe("errors", () => {
  const operations = [
    ["Converse", "converse"],
    ["ConverseStream", "converse-stream"],
    ["InvokeModel", "invoke"],
    ["InvokeModelWithResponseStream", "invoke-with-response-stream"],
  ] as const;

  for (const [operation, path] of operations) {
    it.each([...operationErrors(model, operation).keys()])(
      `${operation}: an injected %s has the model's status and members`,
      async (error) => {
        await control(emulator, "faults", { operation, error });
        const body = path.startsWith("invoke") ? NATIVE_BODIES[0]?.body : CONVERSE_SCENARIOS[0]?.body;
        const answer = await callRuntime(emulator, HAIKU_3, path, body);
        expect(answer.headers.get("x-amzn-errortype")).toBe(error);
        expect(errorProblems(operation, answer)).toEqual([]);
      },
    );
  }

  const badRequests: [string, string, string, unknown][] = [
    ["empty messages", HAIKU_3, "converse", { messages: [] }],
    ["unknown model", "nope.model-v1", "converse", { messages: [user("x")] }],
    [
      "on-demand id of a profile-only model",
      "anthropic.claude-3-7-sonnet-20250219-v1:0",
      "converse",
      { messages: [user("x")] },
    ],
    ["wrong member type", HAIKU_3, "converse-stream", { messages: "x" }],
    ["bad JSON", HAIKU_3, "converse", "{"],
    [
      "unknown guardrail",
      HAIKU_3,
      "converse",
      { messages: [user("x")], guardrailConfig: { guardrailIdentifier: "zz", guardrailVersion: "1" } },
    ],
    ["native body missing max_tokens", HAIKU_3, "invoke", { anthropic_version: "bedrock-2023-05-31", messages: [] }],
    ["native stream body not JSON", HAIKU_3, "invoke-with-response-stream", "not json"],
  ];

  it.each(badRequests)(
    "%s: an error the operation defines, with its status and members",
    async (_, modelId, path, body) => {
      const answer = await callRuntime(emulator, modelId, path, body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      const operation = operations.find(([, p]) => p === path)?.[0] ?? "";
      expect(errorProblems(operation, answer)).toEqual([]);
    },
  );

  it("every error name the emulator's code can raise is one botocore or AWS's common errors define", () => {
    const dir = join(import.meta.dirname, "../../src/emulator");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.startsWith("sts") && !f.startsWith("sso"),
    );
    const raised = new Set<string>(Object.keys(BEDROCK_ERRORS));
    for (const file of files) {
      const source = readFileSync(join(dir, file), "utf8");
      for (const match of source.matchAll(/EmulatorError\(\s*"(\w+)"/g)) raised.add(match[1] as string);
    }
    const defined = new Set(
      ["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream", "CountTokens", "ApplyGuardrail"]
        .flatMap((op) => [...operationErrors(model, op).keys()])
        .concat([...COMMON_ERRORS]),
    );
    expect([...raised].filter((name) => !defined.has(name))).toEqual([]);
    for (const name of Object.keys(BEDROCK_ERRORS)) {
      expect([name, BEDROCK_ERRORS[name]?.status]).toEqual([name, model.shapes[name]?.error?.httpStatusCode]);
    }
  });
});
