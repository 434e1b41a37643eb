/**
 * What every embedding family's module does: turn texts (already checked against the model's limits) into the
 * native InvokeModel bodies, one per call, in order; and read one response body back into its vectors.
 */
import type { EmbeddingSupport } from "../../models/types.js";

/** Cohere's input types (OpenAI has none; the default is search_document, as for indexing). */
export const INPUT_TYPES = ["search_document", "search_query", "classification", "clustering"] as const;
export type EmbeddingInputType = (typeof INPUT_TYPES)[number];

export interface EmbeddingBodyOptions {
  /** Vector size asked for; undefined: the model's default (nothing sent). */
  dimensions: number | undefined;
  inputType: EmbeddingInputType;
}

/** One InvokeModel call's body and the texts it carries. */
export interface EmbeddingBatch {
  body: Record<string, unknown>;
  texts: readonly string[];
}

export interface EmbeddingRead {
  /** One vector per text of the call, in the call's order. */
  vectors: number[][];
  /** Input tokens the body reports (Titan); others report them in a header only. */
  tokens?: number;
}

export interface EmbeddingFamily {
  batches(texts: readonly string[], options: EmbeddingBodyOptions, support: EmbeddingSupport): EmbeddingBatch[];
  read(body: unknown): EmbeddingRead;
}

/** A response body that does not hold what its family returns (a Bedrock change, or another model's answer). */
export function unexpectedBody(family: string): Error {
  return new Error(`Bedrock's ${family} embedding response did not hold the vectors where that family puts them.`);
}

/** Splits a list into runs of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}
