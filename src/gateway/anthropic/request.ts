/**
 * The accepted shape of POST /v1/messages and /v1/messages/count_tokens, and what real clients send beyond it:
 * betas in the `anthropic-beta` header (comma-separated), and `role: "system"` entries inside `messages`
 * (Claude Code 2.1), folded into `system` in order. Only what the gateway itself reads is checked here (model,
 * messages, max_tokens, stream, system, the sampling ranges); blocks, tools and the rest travel on as they are,
 * checked by Bedrock (Claude) or the library (other models), which answer 400 in their own words.
 */

import { z } from "zod";
import type { AnthropicMessagesBody } from "../../llm/index.js";
import type { JsonBody } from "../json-body.js";
import { invalidRequest } from "./errors.js";

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
const block = z.looseObject({ type: z.string() });

const messagesBody = z.looseObject({
  model: z.string().min(1),
  messages: z.array(
    z.looseObject({
      role: z.enum(["user", "assistant", "system"]),
      content: z.union([z.string(), z.array(block)]),
    }),
  ),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  max_tokens: z.number().int().min(1).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  tool_choice: z.looseObject({ type: z.enum(["auto", "any", "tool", "none"]), name: z.string().optional() }).optional(),
  thinking: z.looseObject({ type: z.string() }).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
});

export type MessagesBody = z.infer<typeof messagesBody>;

/** What a door reads from one request. */
export interface MessagesRequest {
  /** The model name as the client sent it. */
  model: string;
  stream: boolean;
  /** The Messages API body, system entries folded; `model` and `stream` are still in it (the library drops them). */
  body: AnthropicMessagesBody & MessagesBody;
  /** From the anthropic-beta header. */
  betas: string[];
}

/** Parses a Messages API request; throws AnthropicError 400 with Anthropic's "path: problem" wording. */
export function parseMessagesRequest(
  raw: JsonBody,
  betaHeader: string | undefined,
  counting: boolean,
): MessagesRequest {
  if (!raw.ok) throw invalidRequest("The request body is not valid JSON.");
  const json = raw.value;
  const parsed = messagesBody.safeParse(json);
  if (!parsed.success) throw invalidRequest(describeIssue(parsed.error, json));
  const body = foldSystemMessages(parsed.data);
  if (!counting && body.max_tokens === undefined) throw invalidRequest("max_tokens: Field required");
  if (body.messages.length === 0 && !counting) throw invalidRequest("messages: at least one message is required");
  return { model: body.model, stream: !counting && body.stream === true, body, betas: betaList(betaHeader) };
}

/** "messages.0.content: Field required" as Anthropic words a field problem. */
function describeIssue(error: z.ZodError, json: unknown): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request body.";
  const path = issue.path.map(String).join(".");
  const value = issue.path.reduce<unknown>(
    (at, key) => (typeof at === "object" && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined),
    json,
  );
  const what = value === undefined && path !== "" ? "Field required" : issue.message;
  return path ? `${path}: ${what}` : what;
}

/** anthropic-beta: "a,b" (or repeated headers, which arrive joined with ", "). */
export function betaList(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((beta) => beta.trim())
    .filter(Boolean);
}

/**
 * `role: "system"` entries in `messages` (Claude Code 2.1 sends them) are not a Messages API role: their text is
 * appended to `system`, in order, and the entries removed. A body without them is returned as it is.
 */
export function foldSystemMessages(body: MessagesBody): MessagesBody {
  if (!body.messages.some((message) => message.role === "system")) return body;
  const system: Record<string, unknown>[] =
    body.system === undefined
      ? []
      : typeof body.system === "string"
        ? body.system === ""
          ? []
          : [{ type: "text", text: body.system }]
        : [...body.system];
  const messages: MessagesBody["messages"] = [];
  for (const message of body.messages) {
    if (message.role !== "system") {
      messages.push(message);
      continue;
    }
    if (typeof message.content === "string") {
      if (message.content !== "") system.push({ type: "text", text: message.content });
      continue;
    }
    for (const part of message.content) {
      if (part.type === "text") system.push(part);
    }
  }
  return { ...body, system: system as MessagesBody["system"], messages };
}
