/**
 * Image, document and video blocks as Bedrock validates them: which models take which kind, formats, document
 * names (unique per request), citations, and sources (bytes, text, content, or an S3 location where the model
 * reads S3). Constraint checks on the wire shape (name length, S3 URI pattern) live in shape-check.ts; whether an
 * S3 object exists and who owns it is checked when the call runs (s3.ts).
 */
import { constraint, modelValidation, validation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import type { ContentBlock, DocumentBlock, MediaSource, Message } from "./shapes.js";

const IMAGE_FORMATS = ["gif", "jpeg", "png", "webp"];
const DOCUMENT_FORMATS = ["csv", "doc", "docx", "html", "md", "pdf", "txt", "xls", "xlsx"];
export const VIDEO_FORMATS = ["mkv", "mov", "mp4", "webm", "flv", "mpeg", "mpg", "wmv", "three_gp"];
const DOCUMENT_NAME = /^[A-Za-z0-9\-()[\] ]+$/;

/** Recorded from Bedrock (amazon-bedrock-invalid-document-filenames.json). */
export const DOCUMENT_NAME_MESSAGE =
  "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.";
export const DUPLICATE_NAMES_MESSAGE =
  "Messages can't contain duplicate document names. Rename the document and retry your request.";

type MediaKind = "image" | "document" | "video";

/** Amazon Nova's multimodal models take video and read sources from S3; no other family does. */
export function takesVideo(spec: ModelSpec): boolean {
  return spec.provider === "amazon-nova" && spec.images;
}

export function readsS3(spec: ModelSpec): boolean {
  return spec.provider === "amazon-nova" && spec.images;
}

/** Citations on documents are a Claude feature. */
export function citesDocuments(spec: ModelSpec): boolean {
  return spec.provider === "anthropic" && spec.documents;
}

function accepts(kind: MediaKind, spec: ModelSpec): boolean {
  if (kind === "image") return spec.images;
  if (kind === "document") return spec.documents;
  return takesVideo(spec);
}

/** Smithy's path for a member of a list: messages.1.content.2 -> messages.1.member.content.2.member. */
export function memberPath(path: string): string {
  return path.replace(/\.(\d+)/g, ".$1.member");
}

export function validateMedia(block: ContentBlock, path: string, spec: ModelSpec): void {
  for (const kind of ["image", "document", "video"] as const) {
    const media = block[kind];
    if (!media) continue;
    // Wording recorded for images (amazon-bedrock-validation-error-no-type.json), the same pattern for the others.
    if (!accepts(kind, spec)) {
      throw validation(`This model doesn't support the ${kind} field for user messages. Remove ${kind} and try again.`);
    }
    checkFormat(kind, media.format, path);
    if (kind === "document") checkDocument(media as DocumentBlock, spec);
    checkSource(kind, media.source, path, spec);
  }
}

function checkFormat(kind: MediaKind, format: string | undefined, path: string): void {
  const formats = kind === "image" ? IMAGE_FORMATS : kind === "document" ? DOCUMENT_FORMATS : VIDEO_FORMATS;
  if (!formats.includes(format ?? "")) {
    throw constraint(
      format,
      `${memberPath(path)}.${kind}.format`,
      `Member must satisfy enum value set: [${formats.join(", ")}]`,
    );
  }
}

function checkDocument(document: DocumentBlock, spec: ModelSpec): void {
  const name = document.name ?? "";
  if (!DOCUMENT_NAME.test(name) || /\s{2,}/.test(name)) throw validation(DOCUMENT_NAME_MESSAGE);
  if (document.citations?.enabled && !citesDocuments(spec)) {
    throw validation("This model doesn't support the citations field. Remove citations and try again.");
  }
}

function checkSource(kind: MediaKind, source: MediaSource | undefined, path: string, spec: ModelSpec): void {
  const members = Object.keys(source ?? {}).filter((k) => (source as Record<string, unknown>)[k] !== undefined);
  if (members.length !== 1) {
    throw validation(
      `The ${kind}.source field at ${path} must set exactly one of its members. Set one source and try again.`,
    );
  }
  // Models outside Nova get the S3 location dropped on the way to the model, which then misses its source.
  if (source?.s3Location && !readsS3(spec)) throw modelValidation(`${path}.${kind}.source.type: Field required`);
}

/** Document names are unique across the whole request, as Bedrock requires. */
export function checkUniqueDocumentNames(messages: readonly Message[]): void {
  const seen = new Set<string>();
  for (const message of messages) {
    for (const block of message.content ?? []) {
      const name = block.document?.name;
      if (name === undefined) continue;
      if (seen.has(name)) throw validation(DUPLICATE_NAMES_MESSAGE);
      seen.add(name);
    }
  }
}
