/**
 * Prompt caching: where the cache points go. A point marks the end of a prefix Bedrock may cache; prefixes are
 * read in the order tools, system, messages. We close a prefix after the tools, after the system prompt, and at
 * the end of the last two user turns: turn N writes its prefix and reads the one turn N-1 wrote, so in a long
 * conversation nearly all input is read from the cache. Never more points than the model allows, never one that
 * closes a prefix shorter than the model's minimum (it would be ignored or refused).
 */
import type { CachePointBlock, ContentBlock, Message, Tool } from "@aws-sdk/client-bedrock-runtime";
import type { CacheHint, ConvertedConversation } from "./messages.js";
import type { CachePolicy } from "./types.js";

/** How many of the latest user turns get a point. */
const USER_TURNS_WITH_POINTS = 2;

function endsWithCachePoint(blocks: readonly { cachePoint?: unknown }[] | undefined): boolean {
  return blocks !== undefined && blocks.length > 0 && blocks[blocks.length - 1]?.cachePoint !== undefined;
}

function latestUserTurns(messages: Message[]): number[] {
  const found: number[] = [];
  for (let i = messages.length - 1; i >= 0 && found.length < USER_TURNS_WITH_POINTS; i -= 1) {
    if (messages[i]?.role === "user") found.push(i);
  }
  return found;
}

function removeMarker(conversation: ConvertedConversation, hint: CacheHint): void {
  const containers: { indexOf(x: unknown): number; splice(at: number, n: number): unknown }[] = [
    conversation.system,
    ...conversation.messages.map((m) => m.content ?? []),
  ];
  for (const blocks of containers) {
    const at = blocks.indexOf(hint.marker);
    if (at >= 0) {
      blocks.splice(at, 1);
      return;
    }
  }
}

/** Places points in `conversation` and `tools` (both freshly built for this call, so mutated in place). */
export function placeCachePoints(
  conversation: ConvertedConversation,
  tools: Tool[] | undefined,
  toolsTokens: number,
  policy: CachePolicy,
): void {
  const { minTokens } = policy;
  let budget = policy.maxPoints;
  const placed: { order: number; point: CachePointBlock }[] = [];
  const point = (order: number): { cachePoint: CachePointBlock } => {
    const cachePoint: CachePointBlock = { type: "default", ttl: policy.ttl };
    placed.push({ order, point: cachePoint });
    return { cachePoint };
  };

  // Hints the caller placed that close a long enough prefix are kept, ahead of our own choices.
  for (const hint of conversation.hints) {
    if (budget > 0 && toolsTokens + hint.prefixTokens >= minTokens) {
      hint.marker.cachePoint.ttl = hint.ttl ?? policy.ttl;
      placed.push({ order: 1 + hint.prefixTokens, point: hint.marker.cachePoint });
      budget -= 1;
    } else {
      removeMarker(conversation, hint);
    }
  }
  if (policy.automatic) placeAutomatic(conversation, tools, toolsTokens, policy, budget, point);
  orderTtls(placed);
}

function placeAutomatic(
  conversation: ConvertedConversation,
  tools: Tool[] | undefined,
  toolsTokens: number,
  policy: CachePolicy,
  initialBudget: number,
  point: (order: number) => { cachePoint: CachePointBlock },
): void {
  const { minTokens } = policy;
  let budget = initialBudget;
  const { messages, prefixTokens, system } = conversation;
  for (const index of latestUserTurns(messages)) {
    const content = messages[index]?.content as ContentBlock[];
    const prefix = toolsTokens + (prefixTokens[index] ?? 0);
    if (budget <= 0 || prefix < minTokens || !policy.messages || endsWithCachePoint(content)) continue;
    content.push(point(1 + prefix));
    budget -= 1;
  }
  const systemPrefix = toolsTokens + conversation.systemTokens;
  if (budget > 0 && policy.system && system.length > 0 && systemPrefix >= minTokens && !endsWithCachePoint(system)) {
    system.push(point(0.5 + systemPrefix));
    budget -= 1;
  }
  if (budget > 0 && policy.tools && tools && tools.length > 0 && toolsTokens >= minTokens) {
    tools.push(point(0));
  }
}

/** Bedrock wants longer TTLs before shorter ones: a 1h point after a 5m point is shortened to 5m. */
function orderTtls(placed: { order: number; point: CachePointBlock }[]): void {
  placed.sort((a, b) => a.order - b.order);
  let shortened = false;
  for (const { point } of placed) {
    if (point.ttl === "5m") shortened = true;
    else if (shortened) point.ttl = "5m";
  }
}
