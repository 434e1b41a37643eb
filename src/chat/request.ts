/**
 * A chat-completions request: tools, tool choice, response format and the request body, declared once as zod
 * schemas with the types inferred from them. The schemas carry the contract's shapes; limits a server adds
 * (ranges, n = 1, ...) are the gateway's, which extends these.
 */
import { z } from "zod";
import { chatMessageSchema } from "./messages.js";

/** reasoning_effort values; manual-thinking models map them to budgets (see docs/LLM.md). */
export const REASONING_EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;
export const reasoningEffortSchema = z.enum(REASONING_EFFORTS);
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

/** Bedrock service tiers a request may ask for. */
export const SERVICE_TIERS = ["default", "flex", "priority"] as const;
export const serviceTierSchema = z.enum(SERVICE_TIERS);
export type ServiceTier = z.infer<typeof serviceTierSchema>;

export const functionToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** JSON Schema of the arguments object; an empty object schema when absent. */
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().optional(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/** The fields of a request that travel in a JSON body. */
export const chatCompletionRequestSchema = z.object({
  /** Overrides the configured model for this call (a "bedrock/..." id or bare id). */
  model: z.string().optional(),
  messages: z.array(chatMessageSchema),
  tools: z.array(functionToolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  response_format: responseFormatSchema.optional(),
  reasoning_effort: reasoningEffortSchema.optional(),
  service_tier: serviceTierSchema.optional(),
  /**
   * OpenAI's string map of tags: sent as Bedrock's requestMetadata (invocation logs, cost allocation), merged over
   * the configured request_metadata.
   */
  metadata: z.record(z.string(), z.string()).optional(),
  /** Converse's escape hatch for model features the mapping does not know: merged into additionalModelRequestFields. */
  additional_model_request_fields: z.record(z.string(), z.unknown()).optional(),
  /** JSON Pointers into the model's own response; the fields come back as additional_model_response_fields. */
  additional_model_response_field_paths: z.array(z.string()).optional(),
});
export type ChatCompletionRequestBody = z.infer<typeof chatCompletionRequestSchema>;

/** The per-call options a JSON body cannot carry, taken by every kind of call (chat, native Anthropic, embeddings). */
export interface CallOptions {
  /** Cancels the call; a stream ends with AbortedError. */
  signal?: AbortSignal;
  /** Per-call timeout in seconds, overriding the configured one. */
  timeout?: number;
  /**
   * The call prepares its request (mapping, serialising, signing), then waits for this before sending it. When it
   * rejects, nothing is sent and the call fails with that rejection, unchanged. For a gateway whose rate-limit check
   * runs in parallel with the preparation.
   */
  ready?: PromiseLike<unknown>;
  /**
   * With `ready`: send the request at once, while `ready` is pending, and hold what it answers (the completion, the
   * first event) until `ready` resolves; a rejection cancels the request in flight. For an admission expected to
   * pass: its wait then overlaps the model's time too.
   */
  speculative?: boolean;
}

/** One call: the body's fields plus the per-call options. */
export interface ChatCompletionRequest extends ChatCompletionRequestBody, CallOptions {}
