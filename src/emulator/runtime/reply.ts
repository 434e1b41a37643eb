/**
 * The deterministic model. A scripted reply (control API) wins; otherwise the reply is derived from the input:
 * a summary of tool results, a forced tool call, structured JSON, or "Echo: <first 12 words of the last user
 * text>" (followed by one citationsContent block per document that asks for citations). Stop sequences and maxTokens then cut it as a real model would stop.
 */
import { randomBytes } from "node:crypto";
import type { ScriptedResponse } from "../types.js";
import { citationBlocks } from "./citations.js";
import { continuePrefill, prefillText } from "./prefill.js";
import { sampleFromSchema } from "./schema-sample.js";
import type { ContentBlock, ConverseBody, Message } from "./shapes.js";
import { redactedReasoningData, signReasoning, type ThinkingPlan } from "./thinking.js";
import { blockTokens } from "./tokens.js";

export const ECHO_WORDS = 12;
/** Anthropic's documented test string: with thinking on, the reasoning comes back redacted. */
export const REDACTED_TRIGGER =
  "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB";

export interface ReplyRequest {
  body: ConverseBody;
  plan: ThinkingPlan;
  schema?: Record<string, unknown>;
  script?: ScriptedResponse;
  thinkingKey: Buffer;
  maxTokens: number;
}

export interface Reply {
  content: ContentBlock[];
  stopReason: string;
  stopSequence?: string;
}

export function toolUseId(): string {
  return `tooluse_${randomBytes(16).toString("base64url")}`;
}

export function firstWords(text: string, count = ECHO_WORDS): string {
  return text.split(/\s+/).filter(Boolean).slice(0, count).join(" ");
}

export function lastUserText(messages: readonly Message[]): string {
  const last = [...messages].reverse().find((m) => m.role === "user");
  return (last?.content ?? [])
    .map((b) => b.text ?? b.guardContent?.text?.text)
    .filter((t): t is string => typeof t === "string")
    .join(" ");
}

export function generateReply(request: ReplyRequest): Reply {
  const { body, plan, script } = request;
  const content: ContentBlock[] = [];
  const userText = lastUserText(body.messages ?? []);
  const prompt = firstWords(userText);
  const redacted = script?.redactedReasoning === true || (plan.mode !== "off" && userText.includes(REDACTED_TRIGGER));
  if (redacted) content.push({ reasoningContent: { redactedContent: redactedReasoningData(request.thinkingKey) } });
  const reasoning =
    script?.reasoning ??
    (plan.mode === "off" || redacted ? undefined : `Considering the request: ${prompt || "(no text)"}`);
  if (reasoning !== undefined) {
    content.push({
      reasoningContent: {
        reasoningText: { text: reasoning, signature: signReasoning(reasoning, request.thinkingKey) },
      },
    });
  }
  const main = script ? scriptedBlocks(script) : derivedBlocks(request, prompt);
  const prefill = prefillText(body);
  content.push(...(prefill === undefined ? main.content : continuePrefill(main.content, prefill)));
  return limitOutput({ content, stopReason: main.stopReason }, body, request.maxTokens);
}

function scriptedBlocks(script: ScriptedResponse): Reply {
  const content: ContentBlock[] = [];
  if (script.text !== undefined && script.text !== "") content.push({ text: script.text });
  for (const call of script.toolCalls ?? []) {
    content.push({ toolUse: { toolUseId: call.id ?? toolUseId(), name: call.name, input: call.input ?? {} } });
  }
  const stopReason = script.stopReason ?? (script.toolCalls?.length ? "tool_use" : "end_turn");
  return { content, stopReason };
}

function derivedBlocks(request: ReplyRequest, prompt: string): Reply {
  const { body } = request;
  const messages = body.messages ?? [];
  const last = messages[messages.length - 1];
  const results = last?.role === "user" ? (last.content ?? []).filter((b) => b.toolResult) : [];
  if (results.length > 0) {
    const summaries = results.map((b) => {
      const text = (b.toolResult?.content ?? []).map((c) => c.text ?? JSON.stringify(c.json ?? "")).join(" ");
      return `${b.toolResult?.status === "error" ? "error" : "result"} "${firstWords(text)}"`;
    });
    return { content: [{ text: `Tool results received: ${summaries.join("; ")}.` }], stopReason: "end_turn" };
  }
  const choice = body.toolConfig?.toolChoice;
  const tools = (body.toolConfig?.tools ?? []).filter((t) => t.toolSpec);
  if ((choice?.any || choice?.tool) && tools.length > 0) {
    const tool = tools.find((t) => t.toolSpec?.name === choice.tool?.name) ?? tools[0];
    const input = sampleFromSchema(tool?.toolSpec?.inputSchema?.json ?? { type: "object" }) ?? {};
    return {
      content: [{ toolUse: { toolUseId: toolUseId(), name: tool?.toolSpec?.name, input } }],
      stopReason: "tool_use",
    };
  }
  if (request.schema)
    return { content: [{ text: JSON.stringify(sampleFromSchema(request.schema)) }], stopReason: "end_turn" };
  const echo = { text: `Echo: ${prompt || "(no text)"}` };
  const cited = citationBlocks(messages);
  if (cited.length > 0)
    return { content: [{ text: `${echo.text}\nFrom the documents: ` }, ...cited], stopReason: "end_turn" };
  return { content: [echo], stopReason: "end_turn" };
}

/** Applies stop sequences to the text, then the maxTokens budget to the whole output. */
function limitOutput(reply: Reply, body: ConverseBody, maxTokens: number): Reply {
  const stops = body.inferenceConfig?.stopSequences ?? [];
  const content: ContentBlock[] = [];
  let stopReason = reply.stopReason;
  let stopSequence: string | undefined;
  for (const block of reply.content) {
    if (typeof block.text === "string" && stops.length > 0) {
      const hit = earliestStop(block.text, stops);
      if (hit) {
        if (hit.index > 0) content.push({ text: block.text.slice(0, hit.index) });
        stopReason = "stop_sequence";
        stopSequence = hit.sequence;
        break;
      }
    }
    content.push(block);
  }
  let used = 0;
  const limited: ContentBlock[] = [];
  for (const block of content) {
    const cost = blockTokens(block);
    if (used + cost <= maxTokens) {
      limited.push(block);
      used += cost;
      continue;
    }
    const room = (maxTokens - used) * 4;
    if (typeof block.text === "string" && room > 0) limited.push({ text: block.text.slice(0, room) });
    return { content: limited, stopReason: "max_tokens" };
  }
  return { content: limited, stopReason, stopSequence };
}

function earliestStop(text: string, stops: readonly string[]): { index: number; sequence: string } | undefined {
  let best: { index: number; sequence: string } | undefined;
  for (const sequence of stops) {
    const index = text.indexOf(sequence);
    if (index >= 0 && (!best || index < best.index)) best = { index, sequence };
  }
  return best;
}
