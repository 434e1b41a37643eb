/**
 * The prompt as the model sees it, in Bedrock's order (tools, system, messages), flattened into token-costed
 * segments and cache-point markers. Caching and token counting both read this one view.
 */
import type { ConverseBody } from "./shapes.js";
import { blockTokens, MESSAGE_OVERHEAD_TOKENS, toolTokens } from "./tokens.js";

export interface ContentSegment {
  kind: "content";
  tokens: number;
  /** What identifies this segment in a cache-prefix hash. */
  canonical: unknown;
}

export interface CachePointSegment {
  kind: "cachePoint";
  ttl: string | undefined;
  /** Request path of the marker, for error messages (e.g. "messages.0.content.2"). */
  path: string;
}

export type Segment = ContentSegment | CachePointSegment;

export function promptSegments(body: ConverseBody): Segment[] {
  const segments: Segment[] = [];
  (body.toolConfig?.tools ?? []).forEach((tool, i) => {
    if (tool.cachePoint) segments.push({ kind: "cachePoint", ttl: tool.cachePoint.ttl, path: `toolConfig.tools.${i}` });
    else segments.push({ kind: "content", tokens: toolTokens(tool), canonical: { tool } });
  });
  (body.system ?? []).forEach((block, i) => {
    if (block.cachePoint) segments.push({ kind: "cachePoint", ttl: block.cachePoint.ttl, path: `system.${i}` });
    else segments.push({ kind: "content", tokens: blockTokens(block), canonical: { system: block } });
  });
  (body.messages ?? []).forEach((message, m) => {
    segments.push({ kind: "content", tokens: MESSAGE_OVERHEAD_TOKENS, canonical: { role: message.role } });
    (message.content ?? []).forEach((block, b) => {
      if (block.cachePoint) {
        segments.push({ kind: "cachePoint", ttl: block.cachePoint.ttl, path: `messages.${m}.content.${b}` });
      } else segments.push({ kind: "content", tokens: blockTokens(block), canonical: block });
    });
  });
  return segments;
}

export function promptTokens(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + (s.kind === "content" ? s.tokens : 0), 0);
}

/** JSON with object keys sorted, so equal prompts hash equally whatever the key order on the wire. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
