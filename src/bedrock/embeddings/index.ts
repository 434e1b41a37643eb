/**
 * Embedding models' native bodies, one module per family, and the checks of a request against the model's own
 * limits (dimensions, texts, lengths), made before anything is sent.
 */
import { ValidationError } from "../../errors.js";
import type { EmbeddingSupport } from "../../models/types.js";
import { cohereV3, cohereV4 } from "./cohere.js";
import { nova } from "./nova.js";
import { titanV1, titanV2 } from "./titan.js";
import { type EmbeddingFamily, type EmbeddingInputType, INPUT_TYPES } from "./types.js";

export * from "./types.js";

const FAMILIES: Record<EmbeddingSupport["family"], EmbeddingFamily> = {
  "titan-v1": titanV1,
  "titan-v2": titanV2,
  "cohere-v3": cohereV3,
  "cohere-v4": cohereV4,
  nova,
};

export function embeddingFamily(support: EmbeddingSupport): EmbeddingFamily {
  return FAMILIES[support.family];
}

/** OpenAI's limit on one request's input list; longer lists are refused rather than fanned out without bound. */
export const MAX_TEXTS_PER_REQUEST = 2048;

/** The texts of a request, checked against the model's limits; throws ValidationError naming the text and limit. */
export function checkTexts(model: string, support: EmbeddingSupport, input: unknown): string[] {
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || texts.some((text) => typeof text !== "string")) {
    throw new ValidationError("input must be a string or an array of strings (token arrays are not accepted).");
  }
  if (texts.length === 0) throw new ValidationError("input must hold at least one text.");
  if (texts.length > MAX_TEXTS_PER_REQUEST) {
    throw new ValidationError(`input holds ${texts.length} texts: at most ${MAX_TEXTS_PER_REQUEST} per request.`);
  }
  texts.forEach((text: string, index) => {
    const where = texts.length === 1 ? "input" : `input[${index}]`;
    if (text.length === 0) throw new ValidationError(`${where} is empty: ${model} embeds non-empty texts only.`);
    if (support.maxInputChars !== undefined && text.length > support.maxInputChars) {
      throw new ValidationError(
        `${where} has ${text.length} characters: ${model} takes at most ${support.maxInputChars} per text (and ${support.maxInputTokens} tokens).`,
      );
    }
  });
  return texts as string[];
}

/** The dimensions asked for, if the model offers them (a model with one size takes that size too). */
export function checkDimensions(model: string, support: EmbeddingSupport, dimensions: unknown): number | undefined {
  if (dimensions == null) return undefined;
  if (typeof dimensions !== "number" || !support.dimensions.includes(dimensions)) {
    throw new ValidationError(
      `dimensions ${String(dimensions)} is not offered by ${model}: use ${support.dimensions.join(", ")} (default ${support.defaultDimension}).`,
    );
  }
  // A single-size model's body has no dimensions field: its one size needs nothing sent.
  return support.dimensions.length === 1 ? undefined : dimensions;
}

export function checkInputType(inputType: unknown): EmbeddingInputType {
  if (inputType == null) return "search_document";
  if (!INPUT_TYPES.includes(inputType as EmbeddingInputType)) {
    throw new ValidationError(`input_type must be one of ${INPUT_TYPES.join(", ")}, not ${JSON.stringify(inputType)}.`);
  }
  return inputType as EmbeddingInputType;
}
