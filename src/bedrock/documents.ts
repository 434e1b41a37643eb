/**
 * OpenAI `file` parts and explicit `document` parts -> Converse document blocks. The format comes from the part,
 * else the file name's extension, else the data: URL's media type, else the bytes (a PDF says so); names are
 * sanitised and made unique (document-names.ts); S3 sources and citations are checked against the model.
 */
import type { ContentBlock, DocumentBlock, DocumentFormat } from "@aws-sdk/client-bedrock-runtime";
import type { DocumentContentPart, FileContentPart } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";
import type { DocumentNamer } from "./document-names.js";
import { requireCitations, requireDocuments, requireS3 } from "./media-rules.js";
import { extensionOf, isS3Uri, s3Location } from "./s3-location.js";

const EXTENSION_FORMATS: Record<string, DocumentFormat> = {
  pdf: "pdf",
  csv: "csv",
  doc: "doc",
  docx: "docx",
  xls: "xls",
  xlsx: "xlsx",
  html: "html",
  htm: "html",
  txt: "txt",
  text: "txt",
  md: "md",
  markdown: "md",
};

const MIME_FORMATS: Record<string, DocumentFormat> = {
  "application/pdf": "pdf",
  "text/csv": "csv",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "text/html": "html",
  "text/plain": "txt",
  "text/markdown": "md",
};

interface InlineData {
  bytes: Uint8Array;
  mime?: string;
}

/** A data: URL or bare base64 -> bytes (and the media type a data: URL names). */
function inlineData(value: string, what: string): InlineData {
  let base64 = value;
  let mime: string | undefined;
  if (value.startsWith("data:")) {
    const comma = value.indexOf(",");
    const header = value.slice(5, comma).toLowerCase();
    if (comma < 0 || !header.endsWith(";base64")) {
      throw new ValidationError(`${what}: data URLs must be base64-encoded (data:application/pdf;base64,...).`);
    }
    mime = header.split(";")[0];
    base64 = value.slice(comma + 1);
  }
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw new ValidationError(`${what} has no data.`);
  return mime === undefined ? { bytes } : { bytes, mime };
}

function formatOf(
  explicit: DocumentFormat | undefined,
  name: string | undefined,
  data: InlineData | undefined,
  what: string,
): DocumentFormat {
  const format =
    explicit ??
    EXTENSION_FORMATS[extensionOf(name ?? "")] ??
    (data?.mime ? MIME_FORMATS[data.mime] : undefined) ??
    (data && Buffer.from(data.bytes.subarray(0, 5)).toString("latin1") === "%PDF-" ? "pdf" : undefined);
  if (!format) {
    throw new ValidationError(
      `${what}: cannot tell the document's format: give a file name with its extension (.pdf, .csv, .doc, .docx, .xls, .xlsx, .html, .txt, .md) or a format.`,
    );
  }
  return format;
}

interface DocumentSpec {
  name?: string;
  format?: DocumentFormat;
  data?: string;
  text?: string;
  s3Uri?: string;
  bucketOwner?: string;
  context?: string;
  citations?: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fromFilePart(part: FileContentPart): DocumentSpec {
  if (!isObject(part.file)) throw new ValidationError("file parts need a file object: { file_data, filename }.");
  const { file_data, file_id, filename, format, bucket_owner } = part.file;
  if (file_id !== undefined && file_data === undefined) {
    throw new ValidationError(
      "file parts with file_id are not supported: Bedrock has no file store; send the file as file_data (base64) with its filename.",
    );
  }
  if (file_data === undefined) throw new ValidationError("file parts need file_data (base64 or a data: URL).");
  const source = isS3Uri(file_data) ? { s3Uri: file_data } : { data: file_data };
  const spec: DocumentSpec = { ...source, citations: part.citations?.enabled === true };
  if (filename !== undefined) spec.name = filename;
  if (format !== undefined) spec.format = format;
  if (bucket_owner !== undefined) spec.bucketOwner = bucket_owner;
  return spec;
}

function fromDocumentPart(part: DocumentContentPart): DocumentSpec {
  if (!isObject(part.document)) {
    throw new ValidationError("document parts need a document object: { name, data | text | s3_uri }.");
  }
  const { name, format, data, text, s3_uri, bucket_owner, context } = part.document;
  const sources = [data, text, s3_uri].filter((s) => s !== undefined).length;
  if (sources !== 1) throw new ValidationError("document parts need exactly one of data, text and s3_uri.");
  const spec: DocumentSpec = { citations: part.citations?.enabled === true };
  for (const [key, value] of Object.entries({
    name,
    format,
    data,
    text,
    s3Uri: s3_uri,
    bucketOwner: bucket_owner,
    context,
  })) {
    if (value !== undefined) (spec as Record<string, unknown>)[key] = value;
  }
  return spec;
}

export function documentBlock(
  part: FileContentPart | DocumentContentPart,
  info: ModelInfo,
  namer: DocumentNamer,
): ContentBlock {
  const what = `${part.type} part${part.type === "file" && part.file?.filename ? ` "${part.file.filename}"` : ""}`;
  requireDocuments(info);
  const spec = part.type === "file" ? fromFilePart(part) : fromDocumentPart(part);
  if (spec.citations) requireCitations(info);
  const data = spec.data === undefined ? undefined : inlineData(spec.data, what);
  let document: DocumentBlock;
  const nameSource = spec.name ?? spec.s3Uri;
  if (spec.text !== undefined) {
    document = { name: namer.name(nameSource), format: spec.format ?? "txt", source: { text: spec.text } };
  } else if (spec.s3Uri !== undefined) {
    requireS3(info, "documents");
    const format = formatOf(spec.format, spec.name ?? spec.s3Uri, undefined, what);
    document = {
      name: namer.name(nameSource),
      format,
      source: { s3Location: s3Location(spec.s3Uri, spec.bucketOwner, what) },
    };
  } else {
    const inline = data as InlineData;
    const format = formatOf(spec.format, spec.name, inline, what);
    document = { name: namer.name(nameSource), format, source: { bytes: inline.bytes } };
  }
  if (spec.context !== undefined) document.context = spec.context;
  if (spec.citations) document.citations = { enabled: true };
  return { document };
}
