/**
 * Chat messages as OpenAI's chat-completions API spells them, declared once as zod schemas (compiled at import);
 * the TypeScript types are inferred from them, so a body the gateway parses is the library's type. z.object strips
 * fields it does not declare: every field the library reads is declared here.
 */
import { z } from "zod";
import { cacheControlSchema } from "./cache-control.js";
import { documentContentPartSchema, fileContentPartSchema, videoContentPartSchema } from "./media.js";

export const textContentPartSchema = z.object({
  type: z.literal("text"),
  text: z.string(),
  /** Anthropic-style hint kept by some agents; a cache point is placed after this part (any part may carry one). */
  cache_control: cacheControlSchema.optional(),
});
export type TextContentPart = z.infer<typeof textContentPartSchema>;

export const imageContentPartSchema = z.object({
  type: z.literal("image_url"),
  /**
   * data: URL (data:image/png;base64,...), raw base64, or an S3 URI (s3://bucket/key, for models that read S3, with
   * `bucket_owner` for another account's bucket). Remote http(s) URLs are refused (Bedrock cannot fetch).
   */
  image_url: z.object({
    url: z.string(),
    detail: z.enum(["auto", "low", "high"]).optional(),
    bucket_owner: z.string().optional(),
  }),
  cache_control: cacheControlSchema.optional(),
});
export type ImageContentPart = z.infer<typeof imageContentPartSchema>;

export const contentPartSchema = z.discriminatedUnion("type", [
  textContentPartSchema,
  imageContentPartSchema,
  fileContentPartSchema,
  documentContentPartSchema,
  videoContentPartSchema,
]);
export type ContentPart = z.infer<typeof contentPartSchema>;

export const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function"),
  /** arguments: the JSON text of an object. */
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** A reasoning block as Bedrock returned it: sent back unchanged (signature intact) in the next turn. */
export const thinkingBlockSchema = z.object({
  type: z.enum(["thinking", "redacted_thinking"]),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  /** base64 of redactedContent. */
  data: z.string().optional(),
});
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;

/** Text only: the roles other than user take no images. */
const textContent = z.union([z.string(), z.array(textContentPartSchema)]);

export const systemMessageSchema = z.object({
  role: z.enum(["system", "developer"]),
  content: textContent,
  name: z.string().optional(),
});
export type SystemMessage = z.infer<typeof systemMessageSchema>;

export const userMessageSchema = z.object({
  role: z.literal("user"),
  content: z.union([z.string(), z.array(contentPartSchema)]),
  name: z.string().optional(),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

export const assistantMessageSchema = z.object({
  role: z.literal("assistant"),
  content: textContent.nullish(),
  tool_calls: z.array(toolCallSchema).optional(),
  reasoning_content: z.string().nullish(),
  /** Returned by a previous reply: sent back first in this turn, as Bedrock requires in tool-use loops. */
  thinking_blocks: z.array(thinkingBlockSchema).optional(),
  name: z.string().optional(),
});
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

export const toolMessageSchema = z.object({
  role: z.literal("tool"),
  tool_call_id: z.string(),
  content: textContent,
});
export type ToolMessage = z.infer<typeof toolMessageSchema>;

export const chatMessageSchema = z.discriminatedUnion("role", [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;
