/**
 * Front door: OpenAI embeddings, POST /v1/embeddings, over the library's embed(). `model` names a model as for chat
 * completions (a [llm.NAME] section, an alias, a registry id or "bedrock/..."), which must be an embedding model;
 * `input` a string or a list of strings; `dimensions`, `encoding_format` (float | base64) as OpenAI's; `input_type`
 * (Cohere, Nova) is this gateway's addition. Usage and cost go to the access log and /metrics as for chat.
 */
import type { Context } from "hono";
import { z } from "zod";
import { INPUT_TYPES } from "../bedrock/embeddings/index.js";
import type { CompletionUsage } from "../chat/index.js";
import type { CreateEmbeddingResponse } from "../llm/index.js";
import { takeCallSlot } from "./call-slot.js";
import { pickModel } from "./chat-completions.js";
import type { GatewayContext, GatewayEnv } from "./context.js";
import type { FrontDoor } from "./front-door.js";
import { type JsonBody, jsonBody } from "./json-body.js";
import { errors } from "./openai-error.js";
import { firstIssue } from "./request-schema.js";

export const EMBEDDINGS_PATH = "/v1/embeddings";

export const embeddingsDoor: FrontDoor = {
  method: "POST",
  path: EMBEDDINGS_PATH,
  handler: (ctx) => (c) => handleEmbeddings(c, ctx),
};

/** OpenAI clients send null for "not set": parsed as absent. */
function orNull<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

const TEXTS_ONLY = "must be a string or an array of strings (token arrays are not accepted)";

/** Unknown fields (user, ...) are accepted and dropped, as for chat completions. */
const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string())], { error: TEXTS_ONLY }),
  dimensions: orNull(z.number().int().positive()),
  encoding_format: orNull(z.enum(["float", "base64"])),
  input_type: orNull(z.enum(INPUT_TYPES)),
});

type EmbeddingsBody = z.infer<typeof embeddingsRequestSchema>;

async function handleEmbeddings(c: Context<GatewayEnv>, ctx: GatewayContext): Promise<Response> {
  const outcome = c.get("outcome");
  const body = parseBody(await jsonBody(c));
  outcome.model = body.model;
  outcome.stream = false;
  const llm = pickModel(ctx, body.model);
  const slot = await takeCallSlot(ctx, c);
  try {
    const { input, dimensions, encoding_format, input_type } = body;
    const response = await llm.embed({ input, dimensions, encoding_format, input_type, ...slot.call });
    outcome.usage = usageOf(response);
    outcome.cost = response.cost;
    return c.json(response);
  } finally {
    slot.end();
  }
}

function parseBody(body: JsonBody): EmbeddingsBody {
  if (!body.ok) throw errors.badJson();
  const json = body.value;
  const parsed = embeddingsRequestSchema.safeParse(json);
  if (!parsed.success) {
    const { message, param } = firstIssue(parsed.error);
    throw errors.badField(message, param);
  }
  return parsed.data;
}

/** The access log and /metrics count embeddings' tokens as input tokens. */
function usageOf(response: CreateEmbeddingResponse): CompletionUsage {
  const { prompt_tokens, total_tokens } = response.usage;
  return {
    prompt_tokens,
    completion_tokens: 0,
    total_tokens,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  };
}
