/**
 * Content parts beyond OpenAI's text and image_url: documents (OpenAI's `file` part, and an explicit `document`
 * part), video, and S3 locations. Declared as zod schemas like the rest of the contract; the bedrock mapping turns
 * them into Converse document / image / video blocks.
 */
import { z } from "zod";
import { cacheControlSchema } from "./cache-control.js";

/** Document formats Converse reads. */
export const DOCUMENT_FORMATS = ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"] as const;
export const documentFormatSchema = z.enum(DOCUMENT_FORMATS);
export type DocumentFormat = z.infer<typeof documentFormatSchema>;

/** Video formats Converse reads (Amazon Nova). */
export const VIDEO_FORMATS = ["mkv", "mov", "mp4", "webm", "flv", "mpeg", "mpg", "wmv", "three_gp"] as const;
export const videoFormatSchema = z.enum(VIDEO_FORMATS);
export type VideoFormat = z.infer<typeof videoFormatSchema>;

/** Citations for a document (Claude): the reply then carries the passages it relied on. */
export const citationsConfigSchema = z.object({ enabled: z.boolean() });

/**
 * OpenAI's file part: `file_data` is a data: URL (data:application/pdf;base64,...), bare base64, or an S3 URI
 * (s3://bucket/key); `filename` gives the document's name and, by its extension, its format. Extensions:
 * `format` (when the name has no usable extension), `bucket_owner` (an S3 bucket of another account),
 * `citations`.
 */
export const fileContentPartSchema = z.object({
  type: z.literal("file"),
  file: z.object({
    file_data: z.string().optional(),
    /** OpenAI's uploaded-file id: Bedrock has no file store, so it is refused with a message saying so. */
    file_id: z.string().optional(),
    filename: z.string().optional(),
    format: documentFormatSchema.optional(),
    bucket_owner: z.string().optional(),
  }),
  citations: citationsConfigSchema.optional(),
  cache_control: cacheControlSchema.optional(),
});
export type FileContentPart = z.infer<typeof fileContentPartSchema>;

/**
 * A document as Converse takes it: inline `data` (base64 or a data: URL), `text`, or an S3 location; `name`
 * (sanitised to Bedrock's rules) and `format` (from the name's extension when absent).
 */
export const documentContentPartSchema = z.object({
  type: z.literal("document"),
  document: z.object({
    name: z.string().optional(),
    format: documentFormatSchema.optional(),
    data: z.string().optional(),
    text: z.string().optional(),
    s3_uri: z.string().optional(),
    bucket_owner: z.string().optional(),
    /** How the model should read the document when it cites it. */
    context: z.string().optional(),
  }),
  citations: citationsConfigSchema.optional(),
  cache_control: cacheControlSchema.optional(),
});
export type DocumentContentPart = z.infer<typeof documentContentPartSchema>;

/** A video (Amazon Nova): `url` is a data: URL, bare base64 or an S3 URI; `format` when it cannot be told. */
export const videoContentPartSchema = z.object({
  type: z.literal("video_url"),
  video_url: z.object({
    url: z.string(),
    format: videoFormatSchema.optional(),
    bucket_owner: z.string().optional(),
  }),
  cache_control: cacheControlSchema.optional(),
});
export type VideoContentPart = z.infer<typeof videoContentPartSchema>;
