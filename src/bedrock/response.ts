/** Converse output -> OpenAI ChatCompletion (cost is added by the LLM facade, which knows the prices). */
import type { ContentBlock, ConverseCommandOutput } from "@aws-sdk/client-bedrock-runtime";
import type { ChatCompletion, ChatCompletionMessage, MessageCitation, ThinkingBlock, ToolCall } from "../chat/index.js";
import { citedPassage } from "./citations.js";
import { finishReason, toUsage } from "./usage.js";

export function thinkingFromBlock(block: ContentBlock): ThinkingBlock | undefined {
  const reasoning = block.reasoningContent;
  if (!reasoning) return undefined;
  if (reasoning.redactedContent) {
    return { type: "redacted_thinking", data: Buffer.from(reasoning.redactedContent).toString("base64") };
  }
  if (reasoning.reasoningText) {
    const { text, signature } = reasoning.reasoningText;
    return { type: "thinking", thinking: text ?? "", ...(signature ? { signature } : {}) };
  }
  return undefined;
}

export function toMessage(content: ContentBlock[]): ChatCompletionMessage {
  let text: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: ToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  const citations: MessageCitation[] = [];
  for (const block of content) {
    if (block.text !== undefined) {
      text = text === null ? block.text : text + block.text;
    } else if (block.citationsContent) {
      const passage = citedPassage(block.citationsContent, text?.length ?? 0);
      text = (text ?? "") + passage.text;
      citations.push(passage);
    } else if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId ?? "",
        type: "function",
        function: { name: block.toolUse.name ?? "", arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
    } else if (block.reasoningContent) {
      const thought = thinkingFromBlock(block);
      if (!thought) continue;
      thinking.push(thought);
      if (thought.thinking) reasoning = (reasoning ?? "") + thought.thinking;
    }
  }
  const message: ChatCompletionMessage = {
    role: "assistant",
    content: text ?? (toolCalls.length > 0 ? null : ""),
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (citations.length > 0) message.citations = citations;
  if (thinking.length > 0) {
    message.reasoning_content = reasoning ?? null;
    message.thinking_blocks = thinking;
  }
  return message;
}

export function toChatCompletion(output: ConverseCommandOutput, id: string, model: string): ChatCompletion {
  const completion: ChatCompletion = {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: toMessage(output.output?.message?.content ?? []),
        finish_reason: finishReason(output.stopReason),
        logprobs: null,
      },
    ],
    usage: toUsage(output.usage),
  };
  if (output.serviceTier?.type) completion.service_tier = output.serviceTier.type;
  if (output.trace?.guardrail) completion.guardrail_trace = output.trace.guardrail;
  if (output.additionalModelResponseFields !== undefined) {
    completion.additional_model_response_fields = output.additionalModelResponseFields as Record<string, unknown>;
  }
  return completion;
}
