/**
 * embed(): texts in, OpenAI's CreateEmbeddingResponse out, through an embedding model's native InvokeModel body
 * (src/bedrock/embeddings). The request is checked against the model's own limits before anything is sent; a
 * list longer than the model takes per call goes out in runs, sent in order, and a retry carries on from the
 * first run not yet answered. Retries, timeout, metrics, cost and the completion log are the pipeline's.
 */
import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { send } from "../auth/sdk-handler.js";
import {
  checkDimensions,
  checkInputType,
  checkTexts,
  type EmbeddingBatch,
  type EmbeddingFamily,
  type EmbeddingInputType,
  embeddingFamily,
} from "../bedrock/embeddings/index.js";
import { ValidationError } from "../errors.js";
import { listModels } from "../models/index.js";
import type { Call } from "./call.js";
import type { Finished } from "./finish.js";
import type { ModelRuntime } from "./runtime.js";
import type { CallOptions, CompletionUsage } from "./types.js";

export type { EmbeddingInputType } from "../bedrock/embeddings/index.js";

export interface EmbeddingRequest extends CallOptions {
  /** One text, or a list of texts (one vector each, in order). */
  input: string | string[];
  /** An embedding model id ("bedrock/..." or bare); default: the LLM's configured model. */
  model?: string;
  /** Vector size, among those the model offers (default: the model's). */
  dimensions?: number;
  /** Cohere and Nova: what the vectors are for. Default "search_document"; Titan takes none. */
  input_type?: EmbeddingInputType;
  /** "float" (default): number arrays; "base64": little-endian float32 bytes in base64, as OpenAI sends them. */
  encoding_format?: "float" | "base64";
}

export interface EmbeddingData {
  object: "embedding";
  index: number;
  embedding: number[] | string;
}

export interface CreateEmbeddingResponse {
  object: "list";
  data: EmbeddingData[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
  /** USD, at the model's input price. */
  cost?: number;
}

/** What one embed() call sends, and what came back so far. */
export interface EmbedPlan {
  family: EmbeddingFamily;
  batches: EmbeddingBatch[];
  /** Answered runs, in order: a retry carries on from the first one missing. */
  done: { vectors: number[][]; tokens: number }[];
  encoding: "float" | "base64";
}

const ENCODINGS = ["float", "base64"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The request's own fields checked (the model's limits are checked by planEmbedding). */
export function checkEmbeddingRequest(request: unknown): asserts request is EmbeddingRequest {
  if (!isObject(request)) throw new ValidationError('embed() takes { input: "text" | ["text", ...], ... }.');
  const { model, encoding_format: encoding, signal, timeout } = request;
  if (model != null && typeof model !== "string") throw new ValidationError("model must be a string.");
  if (encoding != null && !ENCODINGS.includes(encoding as string)) {
    throw new ValidationError(`encoding_format must be "float" or "base64", not ${JSON.stringify(encoding)}.`);
  }
  if (timeout != null && !Number.isFinite(timeout)) throw new ValidationError("timeout must be a finite number.");
  if (signal != null && typeof (signal as AbortSignal).addEventListener !== "function") {
    throw new ValidationError("signal must be an AbortSignal.");
  }
}

/** The runs to send for a request on this model; ValidationError before anything is sent. */
export function planEmbedding(model: ModelRuntime, request: EmbeddingRequest): EmbedPlan {
  const { info, sentId } = model.profile;
  const support = info.kind === "embedding" ? info.embedding : undefined;
  if (!support) {
    const names = listModels()
      .filter((row) => row.kind === "embedding")
      .map((row) => row.id);
    throw new ValidationError(`${sentId} is not an embedding model: embed() takes one of ${names.join(", ")}.`);
  }
  const texts = checkTexts(info.id, support, request.input);
  const options = {
    dimensions: checkDimensions(info.id, support, request.dimensions),
    inputType: checkInputType(request.input_type),
  };
  const family = embeddingFamily(support);
  return {
    family,
    batches: family.batches(texts, options, support),
    done: [],
    encoding: request.encoding_format ?? "float",
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TOKEN_HEADER = "x-amzn-bedrock-input-token-count";

/** embed()'s attempt: the runs not yet answered, one InvokeModel call each, in order. */
export async function sendEmbeddings(call: Call<EmbedPlan>): Promise<EmbedPlan> {
  const plan = call.input;
  for (let index = plan.done.length; index < plan.batches.length; index += 1) {
    const batch = plan.batches[index] as EmbeddingBatch;
    const command = new InvokeModelCommand({
      modelId: call.model.profile.sentId,
      body: encoder.encode(JSON.stringify(batch.body)),
      contentType: "application/json",
      accept: "application/json",
    });
    // Cohere and Nova report the input tokens in a response header only, which the SDK's output leaves out.
    let headerTokens: number | undefined;
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const headers = (result.response as { headers?: Record<string, string> } | undefined)?.headers;
        const value = Number(headers?.[TOKEN_HEADER]);
        if (Number.isFinite(value)) headerTokens = value;
        return result;
      },
      { step: "deserialize", name: "bedrockLlmInputTokenHeader" },
    );
    const output = await send(call.client, command, { abortSignal: call.control.sdkSignal });
    call.control.progress();
    const read = plan.family.read(JSON.parse(decoder.decode(output.body)));
    if (read.vectors.length !== batch.texts.length) {
      throw new Error(`Bedrock answered ${read.vectors.length} vectors for ${batch.texts.length} texts.`);
    }
    plan.done.push({ vectors: read.vectors, tokens: read.tokens ?? headerTokens ?? estimateTokens(batch) });
  }
  return plan;
}

/** Without a count from Bedrock: about 4 characters a token. */
function estimateTokens(batch: EmbeddingBatch): number {
  return batch.texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
}

/** The response for an answered plan, and what the finish step records of it (the cost goes on the response). */
export function embeddingFinished(
  call: Call<EmbedPlan>,
  plan: EmbedPlan,
): { response: CreateEmbeddingResponse; finished: Finished } {
  const vectors = plan.done.flatMap((run) => run.vectors);
  const tokens = plan.done.reduce((sum, run) => sum + run.tokens, 0);
  const response: CreateEmbeddingResponse = {
    object: "list",
    data: vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: plan.encoding === "base64" ? toBase64(vector) : vector,
    })),
    model: call.model.profile.info.id,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
  const usage: CompletionUsage = {
    prompt_tokens: tokens,
    completion_tokens: 0,
    total_tokens: tokens,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  };
  const finished: Finished = {
    id: `embd-${crypto.randomUUID()}`,
    usage,
    finishReason: null,
    guardrailTrace: undefined,
    outputText: "",
    priced(cost) {
      response.cost = cost;
      // The log records the call's size, not its vectors.
      return { response: { ...response, data: [] }, usage, cost };
    },
  };
  return { response, finished };
}

/** A vector as OpenAI's base64 encoding: float32, little-endian, base64. */
export function toBase64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => {
    view.setFloat32(index * 4, value, true);
  });
  return Buffer.from(view.buffer).toString("base64");
}
