/**
 * The library's answer -> a Responses Response object: the response's echo of its request (shell), output items
 * (reasoning blocks first, then the message, then tool calls, the order Bedrock produced them), usage in OpenAI's
 * terms, and the status a finish reason means.
 */
import type { ChatCompletion, CompletionUsage, FinishReason, ToolCall } from "../../chat/index.js";
import { annotationsOf, type FileCitationAnnotation } from "./annotations.js";
import { newItemId } from "./ids.js";
import { reasoningItem, unsignedReasoningItem } from "./reasoning-item.js";
import type { ResponsesBody } from "./request-schema.js";
import type { ToolCatalog } from "./tools.js";
import type {
  ItemStatus,
  MessageItem,
  OutputItem,
  OutputText,
  ResponseObject,
  ResponseStatus,
  ResponseUsage,
} from "./types.js";

/** A response in progress: everything the request decides, nothing of the answer yet. */
export function responseShell(id: string, body: ResponsesBody, store: boolean, createdAt: number): ResponseObject {
  return {
    id,
    object: "response",
    created_at: createdAt,
    status: "in_progress",
    completed_at: null,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    service_tier: body.service_tier ?? "auto",
    store,
    temperature: body.temperature ?? null,
    text: { format: body.text?.format ?? { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? null,
    truncation: body.truncation ?? "disabled",
    usage: null,
    user: body.user ?? null,
  };
}

/** The response finished: its output, usage and the status its finish reason means. */
export function finishResponse(
  shell: ResponseObject,
  output: OutputItem[],
  finish: FinishReason | undefined,
  usage: CompletionUsage | null | undefined,
): ResponseObject {
  const { status, incomplete } = statusOf(finish);
  return {
    ...shell,
    status,
    completed_at: status === "completed" ? Math.floor(Date.now() / 1000) : null,
    incomplete_details: incomplete ? { reason: incomplete } : null,
    output,
    usage: usage ? responseUsage(usage) : null,
  };
}

/** A stream that failed after it began: status failed, with the error clients read (Codex retries on it). */
export function failedResponse(shell: ResponseObject, output: OutputItem[], code: string, message: string) {
  return { ...shell, status: "failed" as const, error: { code, message }, output };
}

export function statusOf(finish: FinishReason | undefined): {
  status: ResponseStatus;
  incomplete?: "max_output_tokens" | "content_filter";
} {
  if (finish === "length") return { status: "incomplete", incomplete: "max_output_tokens" };
  if (finish === "content_filter") return { status: "incomplete", incomplete: "content_filter" };
  return { status: "completed" };
}

export function outputItems(completion: ChatCompletion, catalog: ToolCatalog): OutputItem[] {
  const choice = completion.choices[0];
  if (!choice) return [];
  const { message } = choice;
  const itemStatus: ItemStatus = choice.finish_reason === "length" ? "incomplete" : "completed";
  const items: OutputItem[] = [];
  if (message.thinking_blocks?.length) for (const block of message.thinking_blocks) items.push(reasoningItem(block));
  else if (message.reasoning_content) items.push(unsignedReasoningItem(message.reasoning_content));
  const calls: ToolCall[] = message.tool_calls ?? [];
  if (message.content || calls.length === 0) {
    items.push(messageItem(message.content ?? "", itemStatus, undefined, annotationsOf(message.citations)));
  }
  for (const call of calls) items.push(catalog.callItem(call, itemStatus));
  return items;
}

export function messageItem(
  text: string,
  status: ItemStatus,
  id = newItemId("msg"),
  annotations: FileCitationAnnotation[] = [],
): MessageItem {
  return { type: "message", id, status, role: "assistant", content: [outputText(text, annotations)] };
}

export function outputText(text: string, annotations: FileCitationAnnotation[] = []): OutputText {
  return { type: "output_text", text, annotations, logprobs: [] };
}

export function responseUsage(usage: CompletionUsage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}
