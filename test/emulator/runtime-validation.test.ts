import { describe, expect, it } from "vitest";
import { converseError, freshState, SONNET_45, TITAN, userText } from "./runtime-helpers.js";

const TOOLS = { tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } }] };
const HAIKU_35 = "anthropic.claude-3-5-haiku-20241022-v1:0";
const LLAMA_33 = "us.meta.llama3-3-70b-instruct-v1:0";
const NOVA = "amazon.nova-pro-v1:0";
const png = { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } };

const toolTurn = (id: string) => ({
  role: "assistant",
  content: [{ toolUse: { toolUseId: id, name: "f", input: {} } }],
});
const resultTurn = (id: string) => ({
  role: "user",
  content: [{ toolResult: { toolUseId: id, content: [{ text: "r" }] } }],
});

describe("Converse validation, more cases", () => {
  const cases: [string, string, unknown, string][] = [
    [
      "a role outside user/assistant",
      SONNET_45,
      { messages: [userText("a"), { role: "system", content: [{ text: "b" }] }] },
      "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [assistant, user]",
    ],
    [
      "a message without content",
      SONNET_45,
      { messages: [{ role: "user", content: [] }] },
      "The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again.",
    ],
    [
      "a toolResult for an unknown toolUseId",
      SONNET_45,
      { toolConfig: TOOLS, messages: [userText("a"), toolTurn("t1"), resultTurn("t9")] },
      "The model returned the following errors: messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: t9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
    ],
    [
      "a toolUse left unanswered",
      SONNET_45,
      { toolConfig: TOOLS, messages: [userText("a"), toolTurn("t1"), userText("never mind")] },
      "The model returned the following errors: messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: t1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
    ],
    [
      "an image for a model without images",
      HAIKU_35,
      { messages: [{ role: "user", content: [{ text: "see" }, png] }] },
      // Bedrock's recorded wording (bedrock-fixtures: amazon-bedrock-validation-error-no-type.json).
      "This model doesn't support the image field for user messages. Remove image and try again.",
    ],
    [
      "an image format outside Bedrock's enum",
      SONNET_45,
      {
        messages: [
          { role: "user", content: [{ text: "see" }, { image: { format: "jpg", source: { bytes: "AAAA" } } }] },
        ],
      },
      "1 validation error detected: Value 'jpg' at 'messages.0.member.content.1.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [gif, jpeg, png, webp]",
    ],
    [
      "a forced tool choice the model does not offer",
      LLAMA_33,
      { messages: [userText("a")], toolConfig: { ...TOOLS, toolChoice: { any: {} } } },
      "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.",
    ],
    [
      "topP below 0",
      SONNET_45,
      { messages: [userText("a")], inferenceConfig: { topP: -0.1 } },
      "1 validation error detected: Value '-0.1' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ],
    [
      "maxTokens of 0",
      SONNET_45,
      { messages: [userText("a")], inferenceConfig: { maxTokens: 0 } },
      "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      "an unknown service tier",
      SONNET_45,
      { messages: [userText("a")], serviceTier: { type: "gold" } },
      "1 validation error detected: Value 'gold' at 'serviceTier.type' failed to satisfy constraint: Member must satisfy enum value set: [default, flex, priority, reserved]",
    ],
    [
      "a cache point in Nova's tools",
      NOVA,
      { messages: [userText("a")], toolConfig: { tools: [...TOOLS.tools, { cachePoint: { type: "default" } }] } },
      "This model doesn't support the toolConfig.tools.cachePoint field. Remove toolConfig.tools.cachePoint and try again.",
    ],
    [
      "an unknown cache TTL",
      SONNET_45,
      { messages: [{ role: "user", content: [{ text: "a" }, { cachePoint: { type: "default", ttl: "2h" } }] }] },
      "1 validation error detected: Value '2h' at 'messages.0.content.1.cachePoint.ttl' failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]",
    ],
    [
      "a blank system text",
      SONNET_45,
      { messages: [userText("a")], system: [{ text: "  " }] },
      "The text field in the SystemContentBlock object at system.0 is blank. Add text to the text field, and try again.",
    ],
    [
      "a tool name Bedrock's pattern refuses",
      SONNET_45,
      {
        messages: [userText("a")],
        toolConfig: { tools: [{ toolSpec: { name: "bad name", inputSchema: { json: {} } } }] },
      },
      "1 validation error detected: Value 'bad name' at 'toolConfig.tools.0.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
    ],
  ];

  it.each(cases)("refuses %s", async (_name, modelId, body, message) => {
    const error = await converseError(freshState(), modelId, body);
    expect(error.errorName).toBe("ValidationException");
    expect(error.message).toBe(message);
  });

  it("refuses a known guardrail at an unknown version, and accepts a guardrail ARN", async () => {
    const state = freshState();
    state.guardrails.set("g1:1", { id: "g1", version: "1", blockedWords: [] });
    const version = await converseError(state, TITAN, {
      messages: [userText("a")],
      guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "2" },
    });
    expect(version.message).toBe("The provided guardrail version is invalid.");
    const arn = "arn:aws:bedrock:us-east-1:123456789012:guardrail/g1";
    const ok = await converseError(state, TITAN, {
      messages: [userText("a")],
      guardrailConfig: { guardrailIdentifier: arn, guardrailVersion: "1", trace: "sometimes" },
    });
    expect(ok.message).toContain("at 'guardrailConfig.trace'");
  });
});
