/**
 * The accepted shape of POST /v1/chat/completions, compiled once at import: the library's request schema
 * (src/chat) plus the rules of this endpoint (model required, n = 1, OpenAI's ranges, null for "not set").
 * Finer rules (content part data, tool schemas, limits of a given model) are the library's, which reports them as
 * ValidationError (also a 400). Unknown fields (user, seed, ...) are accepted and dropped, as OpenAI-compatible
 * servers commonly do.
 */
import { z } from "zod";
import { chatCompletionRequestSchema as libraryRequest, reasoningEffortSchema, SERVICE_TIERS } from "../chat/index.js";

/** OpenAI clients send null for "not set": accepted, and parsed as absent, as the library's type spells it. */
function orNull<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

export const chatCompletionRequestSchema = libraryRequest.extend({
  model: z.string().min(1),
  messages: libraryRequest.shape.messages.min(1),
  max_tokens: orNull(z.number().int().positive()),
  max_completion_tokens: orNull(z.number().int().positive()),
  temperature: orNull(z.number().min(0).max(2)),
  top_p: orNull(z.number().min(0).max(1)),
  stop: orNull(z.union([z.string(), z.array(z.string()).max(4)])),
  reasoning_effort: orNull(reasoningEffortSchema),
  /** "auto" is OpenAI's default: the configured tier (or none) applies. */
  service_tier: z
    .enum([...SERVICE_TIERS, "auto"])
    .nullish()
    .transform((tier) => (tier === "auto" ? undefined : (tier ?? undefined))),
  // The endpoint's own fields: not passed to the library.
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  n: z.literal(1, { error: "only n = 1 is supported" }).nullish(),
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
