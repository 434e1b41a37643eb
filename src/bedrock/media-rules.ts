/**
 * Which models take which media, by family: Converse reads video and S3 locations only for Amazon Nova's
 * multimodal models, and cites documents only for Claude. Checked before a request is sent, so the caller gets a
 * ValidationError naming the model instead of Bedrock's 400.
 */
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";

function novaMultimodal(info: ModelInfo): boolean {
  return info.provider === "amazon" && info.family.startsWith("nova") && info.images;
}

export function takesVideo(info: ModelInfo): boolean {
  return novaMultimodal(info);
}

export function readsS3(info: ModelInfo): boolean {
  return novaMultimodal(info);
}

export function citesDocuments(info: ModelInfo): boolean {
  return info.provider === "anthropic" && info.documents;
}

const model = (info: ModelInfo) => `${info.name} (${info.id})`;

export function requireDocuments(info: ModelInfo): void {
  if (!info.documents) {
    throw new ValidationError(`${model(info)} does not accept documents: send their text as a text part instead.`);
  }
}

export function requireVideo(info: ModelInfo): void {
  if (!takesVideo(info)) {
    throw new ValidationError(`${model(info)} does not accept video: Amazon Nova Lite, Pro and Premier do.`);
  }
}

export function requireS3(info: ModelInfo, what: string): void {
  if (!readsS3(info)) {
    throw new ValidationError(
      `${model(info)} cannot read ${what} from S3 (only Amazon Nova's multimodal models can): send the bytes inline.`,
    );
  }
}

export function requireCitations(info: ModelInfo): void {
  if (!citesDocuments(info)) {
    throw new ValidationError(`${model(info)} does not cite documents: citations work with Claude models.`);
  }
}
