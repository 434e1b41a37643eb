/**
 * OpenAI image parts -> Converse image blocks. Bedrock takes raw bytes plus a format; it cannot fetch URLs,
 * so only data: URLs and bare base64 are accepted.
 */
import type { ContentBlock, ImageFormat } from "@aws-sdk/client-bedrock-runtime";
import type { ImageContentPart } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";
import { requireS3 } from "./media-rules.js";
import { extensionOf, isS3Uri, s3Location } from "./s3-location.js";

const MIME_FORMATS: Record<string, ImageFormat> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** Format from the file's magic bytes, for bare base64 without a mime type. */
function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "jpeg";
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return "gif";
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return "webp";
  return undefined;
}

const EXTENSION_FORMATS: Record<string, ImageFormat> = {
  png: "png",
  jpg: "jpeg",
  jpeg: "jpeg",
  gif: "gif",
  webp: "webp",
};

/** An s3:// image (models that read S3): the format from the key's extension. */
function s3Image(url: string, bucketOwner: string | undefined, info: ModelInfo): ContentBlock {
  requireS3(info, "images");
  const format = EXTENSION_FORMATS[extensionOf(url)];
  if (!format) {
    throw new ValidationError(`Could not tell the image format of ${url}: name the object .png, .jpg, .gif or .webp.`);
  }
  return { image: { format, source: { s3Location: s3Location(url, bucketOwner, "image_url") } } };
}

export function imageBlock(part: ImageContentPart, info: ModelInfo): ContentBlock {
  // Some clients send image_url as a bare string rather than {url}.
  const source = part.image_url as ImageContentPart["image_url"] | string | undefined;
  const url = (typeof source === "string" ? source : source?.url) ?? "";
  if (isS3Uri(url)) return s3Image(url, typeof source === "string" ? undefined : source?.bucket_owner, info);
  if (/^https?:\/\//i.test(url)) {
    throw new ValidationError(
      "Image URLs cannot be fetched by Bedrock: send the image as a data: URL (data:image/png;base64,...), base64, or an s3:// URI (Amazon Nova).",
    );
  }
  let format: ImageFormat | undefined;
  let base64 = url;
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const header = url.slice(5, comma).toLowerCase();
    const mime = header.split(";")[0] ?? "";
    if (comma < 0 || !header.endsWith(";base64")) {
      throw new ValidationError("Image data URLs must be base64-encoded (data:image/png;base64,...).");
    }
    format = MIME_FORMATS[mime];
    if (!format) {
      throw new ValidationError(`Image type "${mime}" is not supported by Bedrock: use png, jpeg, gif or webp.`);
    }
    base64 = url.slice(comma + 1);
  }
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw new ValidationError("Image part has no data.");
  format ??= sniffFormat(bytes);
  if (!format) {
    throw new ValidationError("Could not tell the image format from its bytes: send a data: URL with its mime type.");
  }
  return { image: { format, source: { bytes } } };
}
