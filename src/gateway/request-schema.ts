/**
 * The accepted shape of POST /v1/chat/completions, compiled once at import. It checks what the gateway itself
 * relies on and the types of the fields it passes on; finer rules (content parts, tool schemas, limits of a given
 * model) are the library's, which reports them as ValidationError (also a 400). Unknown fields (user, seed, ...)
 * are accepted and ignored, as OpenAI-compatible servers commonly do.
 */
import { z } from "zod";

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string() }),
});
const content = z.union([z.string(), z.array(z.union([textPart, imagePart]))]);

const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.enum(["system", "developer"]), content }),
  z.looseObject({ role: z.literal("user"), content }),
  z.looseObject({
    role: z.literal("assistant"),
    content: content.nullish(),
    tool_calls: z
      .array(
        z.looseObject({
          id: z.string(),
          type: z.literal("function"),
          function: z.looseObject({ name: z.string(), arguments: z.string() }),
        }),
      )
      .optional(),
  }),
  z.looseObject({ role: z.literal("tool"), tool_call_id: z.string(), content }),
]);

const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(tool).optional(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
    ])
    .optional(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.literal(1, { error: "only n = 1 is supported" }).nullish(),
  response_format: z
    .union([
      z.looseObject({ type: z.enum(["text", "json_object"]) }),
      z.looseObject({
        type: z.literal("json_schema"),
        json_schema: z.looseObject({ name: z.string(), schema: z.record(z.string(), z.unknown()).optional() }),
      }),
    ])
    .optional(),
  reasoning_effort: z.enum(["low", "medium", "high", "xhigh", "max"]).nullish(),
  service_tier: z.enum(["default", "flex", "priority", "auto"]).nullish(),
});

export type ChatCompletionBody = z.infer<typeof chatCompletionRequestSchema>;

/** The first problem, as OpenAI reports it: a message and the offending parameter's path. */
export function firstIssue(error: z.ZodError): { message: string; param: string | null } {
  const issue = error.issues[0];
  if (!issue) return { message: "invalid request body", param: null };
  const param =
    issue.path.length > 0
      ? issue.path
          .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
          .join("")
          .replace(/^\./, "")
      : null;
  return { message: param ? `Invalid value for '${param}': ${issue.message}` : issue.message, param };
}
