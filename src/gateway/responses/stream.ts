/**
 * The library's stream chunks -> the Responses API's event sequence, with sequence numbers:
 *
 *   response.created, response.in_progress, then per output item in order:
 *     reasoning: output_item.added, reasoning_summary_part.added, reasoning_summary_text.delta*,
 *                reasoning_summary_text.done, reasoning_summary_part.done, output_item.done (with encrypted_content)
 *     message:   output_item.added, content_part.added, output_text.delta* (output_text.annotation.added before
 *                the text a citation supports), output_text.done, content_part.done, output_item.done
 *     tool call: output_item.added, function_call_arguments.delta*, function_call_arguments.done (custom tools:
 *                custom_tool_call_input.done), output_item.done
 *   and response.completed (response.incomplete when cut at max_output_tokens or filtered), or, after a failure,
 *   error and response.failed.
 *
 * Bedrock produces one content block at a time, so one item is open at a time: the next kind of delta closes it.
 */
import type {
  ChatCompletionChunk,
  CitationSource,
  CompletionUsage,
  FinishReason,
  ThinkingBlock,
} from "../../chat/index.js";
import { type FileCitationAnnotation, fileCitation } from "./annotations.js";
import { newItemId } from "./ids.js";
import { failedResponse, finishResponse, messageItem, outputText, statusOf } from "./output.js";
import { reasoningItem, unsignedReasoningItem } from "./reasoning-item.js";
import type { ToolCatalog } from "./tools.js";
import type { ItemStatus, OutputItem, ResponseObject, ResponseStreamEvent, ToolCallItem } from "./types.js";

type OpenItem =
  | { kind: "reasoning"; id: string; index: number; text: string }
  | { kind: "message"; id: string; index: number; text: string; annotations: FileCitationAnnotation[] }
  | { kind: "tool"; id: string; index: number; callId: string; name: string; args: string; itemType: string };

export class ResponseEventStream {
  private sequence = 0;
  private readonly output: OutputItem[] = [];
  private open: OpenItem | undefined;

  constructor(
    private readonly shell: ResponseObject,
    private readonly catalog: ToolCatalog,
  ) {}

  /** The output items finished so far. */
  get items(): readonly OutputItem[] {
    return this.output;
  }

  start(): ResponseStreamEvent[] {
    return [
      this.event("response.created", { response: this.shell }),
      this.event("response.in_progress", { response: this.shell }),
    ];
  }

  chunk(chunk: ChatCompletionChunk): ResponseStreamEvent[] {
    const delta = chunk.choices[0]?.delta;
    if (!delta) return [];
    const events: ResponseStreamEvent[] = [];
    if (delta.reasoning_content) this.reasoningText(delta.reasoning_content, events);
    for (const block of delta.thinking_blocks ?? []) this.reasoningBlock(block, events);
    for (const source of delta.citations ?? []) this.citation(source, events);
    if (delta.content) this.text(delta.content, events);
    for (const call of delta.tool_calls ?? []) {
      if (call.id !== undefined) this.startToolCall(call.id, call.function?.name ?? "", events);
      const fragment = call.function?.arguments;
      if (fragment) this.toolArguments(fragment, events);
    }
    return events;
  }

  /** The last events: open item closed, then response.completed (or .incomplete) with the whole response. */
  finish(
    finish: FinishReason | undefined,
    usage: CompletionUsage | null | undefined,
  ): { events: ResponseStreamEvent[]; response: ResponseObject } {
    const events: ResponseStreamEvent[] = [];
    const status: ItemStatus = finish === "length" ? "incomplete" : "completed";
    this.close(events, status);
    if (!this.output.some((item) => item.type !== "reasoning")) this.emptyMessage(events, status);
    const response = finishResponse(this.shell, [...this.output], finish, usage);
    const type = statusOf(finish).status === "incomplete" ? "response.incomplete" : "response.completed";
    events.push(this.event(type, { response }));
    return { events, response };
  }

  /** After a failure mid-stream: an error event, then response.failed with what was produced. */
  fail(code: string, message: string): ResponseStreamEvent[] {
    return [
      this.event("error", { code, message, param: null }),
      this.event("response.failed", { response: failedResponse(this.shell, [...this.output], code, message) }),
    ];
  }

  private reasoningText(text: string, events: ResponseStreamEvent[]): void {
    let open = this.open;
    if (open?.kind !== "reasoning") {
      this.close(events);
      open = { kind: "reasoning", id: newItemId("rs"), index: this.output.length, text: "" };
      this.open = open;
      events.push(
        this.event("response.output_item.added", {
          output_index: open.index,
          item: { type: "reasoning", id: open.id, summary: [], encrypted_content: null, status: "in_progress" },
        }),
        this.event("response.reasoning_summary_part.added", {
          item_id: open.id,
          output_index: open.index,
          summary_index: 0,
          part: { type: "summary_text", text: "" },
        }),
      );
    }
    open.text += text;
    events.push(
      this.event("response.reasoning_summary_text.delta", {
        item_id: open.id,
        output_index: open.index,
        summary_index: 0,
        delta: text,
      }),
    );
  }

  /** A finished reasoning block: it closes the item its text streamed into, or is an item of its own (redacted). */
  private reasoningBlock(block: ThinkingBlock, events: ResponseStreamEvent[]): void {
    const open = this.open;
    if (open?.kind === "reasoning") {
      this.open = undefined;
      this.closeReasoning(open, events, reasoningItem({ ...block, thinking: block.thinking ?? open.text }, open.id));
      return;
    }
    this.close(events);
    const item = reasoningItem(block);
    const index = this.output.length;
    events.push(
      this.event("response.output_item.added", { output_index: index, item: { ...item, status: "in_progress" } }),
    );
    this.output.push(item);
    events.push(this.event("response.output_item.done", { output_index: index, item }));
  }

  private text(text: string, events: ResponseStreamEvent[]): void {
    let open = this.open;
    if (open?.kind !== "message") {
      this.close(events);
      open = { kind: "message", id: newItemId("msg"), index: this.output.length, text: "", annotations: [] };
      this.open = open;
      events.push(
        this.event("response.output_item.added", {
          output_index: open.index,
          item: { type: "message", id: open.id, status: "in_progress", role: "assistant", content: [] },
        }),
        this.event("response.content_part.added", {
          item_id: open.id,
          output_index: open.index,
          content_index: 0,
          part: outputText(""),
        }),
      );
    }
    if (!text) return;
    open.text += text;
    events.push(
      this.event("response.output_text.delta", {
        item_id: open.id,
        output_index: open.index,
        content_index: 0,
        delta: text,
        logprobs: [],
      }),
    );
  }

  /** A cited source, ahead of the passage that cites it: an annotation at the passage's start. */
  private citation(source: CitationSource, events: ResponseStreamEvent[]): void {
    this.text("", events);
    const open = this.open;
    if (open?.kind !== "message") return;
    const annotation = fileCitation(source, open.text.length);
    open.annotations.push(annotation);
    events.push(
      this.event("response.output_text.annotation.added", {
        item_id: open.id,
        output_index: open.index,
        content_index: 0,
        annotation_index: open.annotations.length - 1,
        annotation,
      }),
    );
  }

  private startToolCall(callId: string, name: string, events: ResponseStreamEvent[]): void {
    this.close(events);
    const index = this.output.length;
    const item = this.toolItem(callId, name, "", "in_progress");
    this.open = { kind: "tool", id: item.id, index, callId, name, args: "", itemType: item.type };
    events.push(this.event("response.output_item.added", { output_index: index, item }));
  }

  private toolArguments(fragment: string, events: ResponseStreamEvent[]): void {
    const open = this.open;
    if (open?.kind !== "tool") return;
    open.args += fragment;
    // Only a function call's arguments are the model's text as is; other tools' items are built from them at the end.
    if (open.itemType !== "function_call") return;
    events.push(
      this.event("response.function_call_arguments.delta", {
        item_id: open.id,
        output_index: open.index,
        delta: fragment,
      }),
    );
  }

  private close(events: ResponseStreamEvent[], status: ItemStatus = "completed"): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    switch (open.kind) {
      case "reasoning": {
        const item = { ...unsignedReasoningItem(open.text), id: open.id, status };
        this.closeReasoning(open, events, item);
        return;
      }
      case "message": {
        const base = { item_id: open.id, output_index: open.index, content_index: 0 };
        events.push(
          this.event("response.output_text.done", { ...base, text: open.text, logprobs: [] }),
          this.event("response.content_part.done", { ...base, part: outputText(open.text, open.annotations) }),
        );
        this.done(open.index, messageItem(open.text, status, open.id, open.annotations), events);
        return;
      }
      case "tool": {
        const item = this.toolItem(open.callId, open.name, open.args, status, open.id);
        const base = { item_id: open.id, output_index: open.index };
        if (item.type === "function_call") {
          events.push(
            this.event("response.function_call_arguments.done", {
              ...base,
              name: item.name,
              arguments: item.arguments,
            }),
          );
        } else if (item.type === "custom_tool_call") {
          events.push(this.event("response.custom_tool_call_input.done", { ...base, input: item.input }));
        }
        this.done(open.index, item, events);
        return;
      }
    }
  }

  private closeReasoning(
    open: { id: string; index: number; text: string },
    events: ResponseStreamEvent[],
    item: OutputItem & { type: "reasoning" },
  ): void {
    const text = item.summary[0]?.text ?? open.text;
    const base = { item_id: open.id, output_index: open.index, summary_index: 0 };
    events.push(
      this.event("response.reasoning_summary_text.done", { ...base, text }),
      this.event("response.reasoning_summary_part.done", { ...base, part: { type: "summary_text", text } }),
    );
    this.done(open.index, item, events);
  }

  private emptyMessage(events: ResponseStreamEvent[], status: ItemStatus): void {
    this.text("", events);
    this.close(events, status);
  }

  private done(index: number, item: OutputItem, events: ResponseStreamEvent[]): void {
    this.output[index] = item;
    events.push(this.event("response.output_item.done", { output_index: index, item }));
  }

  private toolItem(callId: string, name: string, args: string, status: ItemStatus, id?: string): ToolCallItem {
    return this.catalog.callItem({ id: callId, type: "function", function: { name, arguments: args } }, status, id);
  }

  private event(type: string, fields: Record<string, unknown>): ResponseStreamEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }
}
