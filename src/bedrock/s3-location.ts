/** s3://bucket/key references -> Converse S3Location, checked against Bedrock's URI and account-id patterns. */
import type { S3Location } from "@aws-sdk/client-bedrock-runtime";
import { ValidationError } from "../errors.js";

const S3_URI = /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]\/.+$/;
const ACCOUNT_ID = /^[0-9]{12}$/;

export function isS3Uri(value: string): boolean {
  return value.startsWith("s3://");
}

export function s3Location(uri: string, bucketOwner: string | undefined, what: string): S3Location {
  if (!S3_URI.test(uri) || uri.length > 1024) {
    throw new ValidationError(`${what}: "${uri}" is not an S3 object URI (s3://bucket/key, lower-case bucket name).`);
  }
  if (bucketOwner !== undefined && !ACCOUNT_ID.test(bucketOwner)) {
    throw new ValidationError(`${what}: bucket_owner must be a 12-digit AWS account id.`);
  }
  return bucketOwner === undefined ? { uri } : { uri, bucketOwner };
}

/** The extension of an S3 key or file name, lower-cased, without the dot. */
export function extensionOf(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}
