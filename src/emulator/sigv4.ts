/**
 * SigV4 verification by re-signing: the request is rebuilt with exactly the headers the client signed and signed
 * again with @smithy/signature-v4; the signatures must match. The canonical path is the path as received, each
 * segment URI-encoded once more (the rule for every service but S3): a client sending `%3A` signs `%253A`, one
 * sending a raw `:` signs `%3A`, as AWS expects.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export interface SigV4Authorization {
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`; undefined when malformed. */
export function parseSigV4Authorization(header: string): SigV4Authorization | undefined {
  const match = AUTH_PATTERN.exec(header.trim());
  if (!match) return undefined;
  const [, accessKeyId, scopeDate, region, service, signedHeaders, signature] = match;
  if (!accessKeyId || !scopeDate || !region || !service || !signedHeaders || !signature) return undefined;
  return { accessKeyId, scopeDate, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** Parses the basic ISO 8601 x-amz-date (20251125T081500Z). */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const match = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

export interface SignedRequestParts {
  method: string;
  /** Path exactly as received, without the query string. */
  rawPath: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** SHA-256 as a ChecksumConstructor, the way the AWS SDK builds it for Node. */
const Sha256 = Hash.bind(null, "sha256");

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else record[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return record;
}

/** True when x-amz-content-sha256, if sent, is the body's real hash (or the UNSIGNED-PAYLOAD marker). */
export function payloadHashMatches(parts: SignedRequestParts): boolean {
  const claimed = parts.headers["x-amz-content-sha256"];
  if (claimed === undefined || claimed === "UNSIGNED-PAYLOAD") return true;
  return claimed === createHash("sha256").update(parts.body).digest("hex");
}

/** Recomputes the signature the client should have sent, with the secret we know for its key. */
export async function expectedSignature(
  parts: SignedRequestParts,
  auth: SigV4Authorization,
  secretAccessKey: string,
  signingDate: Date,
): Promise<string> {
  const signedNames = new Set(auth.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = parts.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const request = new HttpRequest({
    method: parts.method,
    protocol: "http:",
    hostname: headers.host ?? "",
    path: parts.rawPath,
    query: queryRecord(parts.query),
    headers,
    body: parts.body,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(request, { signingDate, signableHeaders: signedNames });
  const authorization = signed.headers.authorization ?? "";
  return /Signature=([0-9a-f]{64})/.exec(authorization)?.[1] ?? "";
}

export function signaturesEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
