/**
 * S3 sources of images, documents and videos. The emulator's S3 holds only the objects put through the control
 * API (POST /_emulator/s3-objects). Owner rules as documented for S3Location: a bucket of the caller's account
 * needs no bucketOwner; another account's bucket needs bucketOwner set to that account; a bucketOwner that is not
 * the bucket's owner is refused.
 */
import { BUILTIN_ACCOUNT_ID } from "../identity.js";
import type { EmulatorState } from "../state.js";
import { modelValidation } from "./errors.js";
import type { ContentBlock, ConverseBody, MediaSource, Message } from "./shapes.js";

/** Recorded from Bedrock (amazon-bedrock-s3-image-url.json). */
const NOT_FOUND = "Provided S3Location not found";

export interface S3Object {
  bytes: Buffer;
  /** Account that owns the object's bucket. */
  owner: string;
}

function resolveSource(source: MediaSource, state: EmulatorState, accountId: string): MediaSource {
  const location = source.s3Location;
  if (!location?.uri) return source;
  const object = state.s3Objects.get(location.uri);
  if (!object) throw modelValidation(NOT_FOUND);
  const expectedOwner = location.bucketOwner ?? accountId;
  if (expectedOwner !== object.owner) {
    throw modelValidation(
      location.bucketOwner === undefined
        ? "Access denied to the provided S3Location. The bucket belongs to another AWS account: set bucketOwner to that account's ID."
        : "Access denied to the provided S3Location. The bucketOwner doesn't own the bucket.",
    );
  }
  return { bytes: object.bytes.toString("base64") };
}

function resolveBlock(block: ContentBlock, state: EmulatorState, accountId: string): ContentBlock {
  const copy = { ...block };
  for (const kind of ["image", "document", "video"] as const) {
    const media = block[kind];
    if (media?.source?.s3Location) copy[kind] = { ...media, source: resolveSource(media.source, state, accountId) };
  }
  if (block.toolResult?.content) {
    copy.toolResult = {
      ...block.toolResult,
      content: block.toolResult.content.map((b) => resolveBlock(b, state, accountId)),
    };
  }
  return copy;
}

function hasS3(messages: readonly Message[]): boolean {
  return messages.some((m) =>
    (m.content ?? []).some(
      (b) => b.image?.source?.s3Location || b.document?.source?.s3Location || b.video?.source?.s3Location,
    ),
  );
}

/**
 * The request with every S3 source replaced by the object's bytes, so token counting and caching see the content.
 * The caller's body is left as it came (the request log shows what was sent).
 */
export function withS3Objects(body: ConverseBody, state: EmulatorState, accountId = BUILTIN_ACCOUNT_ID): ConverseBody {
  const messages = body.messages ?? [];
  if (!hasS3(messages)) return body;
  return {
    ...body,
    messages: messages.map((m) => ({ ...m, content: (m.content ?? []).map((b) => resolveBlock(b, state, accountId)) })),
  };
}
