/**
 * What the Responses door returns, in OpenAI's Responses API shapes (the `openai` package's Response, output
 * items and stream events): built by the gateway, never parsed, so plain interfaces. What it accepts is declared
 * in request-schema.ts.
 */
import type { FileCitationAnnotation } from "./annotations.js";
import type { InputItem } from "./request-schema.js";

export type ItemStatus = "in_progress" | "completed" | "incomplete";

export interface OutputText {
  type: "output_text";
  text: string;
  /** The model's citations of documents (annotations.ts). */
  annotations: FileCitationAnnotation[];
  logprobs: unknown[];
}

export interface MessageItem {
  type: "message";
  id: string;
  status: ItemStatus;
  role: "assistant";
  content: OutputText[];
}

export interface FunctionCallItem {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  /** The namespace tool the function belongs to, when it came from one. */
  namespace?: string;
  arguments: string;
  status: ItemStatus;
}

export interface CustomToolCallItem {
  type: "custom_tool_call";
  id: string;
  call_id: string;
  name: string;
  namespace?: string;
  input: string;
  status: ItemStatus;
}

export interface LocalShellCallItem {
  type: "local_shell_call";
  id: string;
  call_id: string;
  status: ItemStatus;
  action: {
    type: "exec";
    command: string[];
    env: Record<string, string>;
    working_directory: string | null;
    timeout_ms: number | null;
    user: string | null;
  };
}

export interface SummaryText {
  type: "summary_text";
  text: string;
}

/**
 * One Bedrock reasoning block. `summary` shows its text; `encrypted_content` carries the block itself (text and
 * signature, or redacted data), which the next turn sends back unchanged, as Bedrock requires.
 */
export interface ReasoningItem {
  type: "reasoning";
  id: string;
  summary: SummaryText[];
  encrypted_content: string | null;
  status?: ItemStatus;
}

export type ToolCallItem = FunctionCallItem | CustomToolCallItem | LocalShellCallItem;
export type OutputItem = MessageItem | ReasoningItem | ToolCallItem;

export interface ResponseUsage {
  /** All input tokens, cache reads and writes included. */
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: ResponseStatus;
  completed_at: number | null;
  background: false;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, string>;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  service_tier: string;
  store: boolean;
  temperature: number | null;
  text: { format: unknown };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  truncation: "auto" | "disabled";
  usage: ResponseUsage | null;
  user: string | null;
}

/**
 * What the store keeps per response: the response, and the input items of its own request (without those of the
 * responses before it, which are reached through `response.previous_response_id`), so a long conversation is
 * stored once, not once per turn.
 */
export interface StoredResponse {
  response: ResponseObject;
  input: InputItem[];
}

/** One stream event: its `type` is also the SSE `event:` name. */
export interface ResponseStreamEvent {
  type: string;
  sequence_number: number;
  [field: string]: unknown;
}
