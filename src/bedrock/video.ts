/** OpenAI-style video_url parts -> Converse video blocks (Amazon Nova): inline bytes or an S3 location. */
import type { ContentBlock, VideoFormat } from "@aws-sdk/client-bedrock-runtime";
import type { VideoContentPart } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";
import { requireS3, requireVideo } from "./media-rules.js";
import { extensionOf, isS3Uri, s3Location } from "./s3-location.js";

const MIME_FORMATS: Record<string, VideoFormat> = {
  "video/mp4": "mp4",
  "video/quicktime": "mov",
  "video/x-matroska": "mkv",
  "video/webm": "webm",
  "video/x-flv": "flv",
  "video/mpeg": "mpeg",
  "video/x-ms-wmv": "wmv",
  "video/3gpp": "three_gp",
};

const EXTENSION_FORMATS: Record<string, VideoFormat> = {
  mp4: "mp4",
  mov: "mov",
  mkv: "mkv",
  webm: "webm",
  flv: "flv",
  mpeg: "mpeg",
  mpg: "mpg",
  wmv: "wmv",
  "3gp": "three_gp",
};

function unknownFormat(): ValidationError {
  return new ValidationError(
    "Could not tell the video's format: give video_url.format (mp4, mov, mkv, webm, flv, mpeg, mpg, wmv, three_gp).",
  );
}

export function videoBlock(part: VideoContentPart, info: ModelInfo): ContentBlock {
  requireVideo(info);
  if (typeof part.video_url?.url !== "string") {
    throw new ValidationError("video_url parts need a video_url object: { url, format? }.");
  }
  const { url, format, bucket_owner } = part.video_url;
  if (isS3Uri(url)) {
    requireS3(info, "video");
    const resolved = format ?? EXTENSION_FORMATS[extensionOf(url)];
    if (!resolved) throw unknownFormat();
    return { video: { format: resolved, source: { s3Location: s3Location(url, bucket_owner, "video_url") } } };
  }
  if (/^https?:\/\//i.test(url)) {
    throw new ValidationError("Video URLs cannot be fetched by Bedrock: send a data: URL, base64, or an s3:// URI.");
  }
  let base64 = url;
  let resolved = format;
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const header = url.slice(5, comma).toLowerCase();
    if (comma < 0 || !header.endsWith(";base64")) {
      throw new ValidationError("Video data URLs must be base64-encoded (data:video/mp4;base64,...).");
    }
    resolved ??= MIME_FORMATS[header.split(";")[0] ?? ""];
    base64 = url.slice(comma + 1);
  }
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw new ValidationError("video_url has no data.");
  // MP4 and QuickTime files carry an "ftyp" box at offset 4.
  resolved ??= Buffer.from(bytes.subarray(4, 8)).toString("latin1") === "ftyp" ? "mp4" : undefined;
  if (!resolved) throw unknownFormat();
  return { video: { format: resolved, source: { bytes } } };
}
