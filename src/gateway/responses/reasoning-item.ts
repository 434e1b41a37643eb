/**
 * Bedrock reasoning blocks <-> Responses reasoning items. Bedrock needs a reasoning block sent back exactly as it
 * came (text and signature, or the redacted data) in tool-use loops; a Responses client sends back what it got in
 * `encrypted_content`, so that is where the block travels: as base64 of its JSON, behind a version prefix. It is
 * not encrypted (the summary shows the same text); Bedrock's signature is what protects it.
 */
import type { ThinkingBlock } from "../../chat/index.js";
import { newItemId } from "./ids.js";
import type { ReasoningItem } from "./types.js";

const PREFIX = "bedrock-llm.v1.";

export function reasoningItem(block: ThinkingBlock, id = newItemId("rs")): ReasoningItem {
  return {
    type: "reasoning",
    id,
    summary: block.type === "thinking" && block.thinking ? [{ type: "summary_text", text: block.thinking }] : [],
    encrypted_content: encodeBlock(block),
    status: "completed",
  };
}

/** A reasoning item for text that came without a block to send back (a model whose reasoning is not signed). */
export function unsignedReasoningItem(text: string): ReasoningItem {
  return {
    type: "reasoning",
    id: newItemId("rs"),
    summary: [{ type: "summary_text", text }],
    encrypted_content: null,
    status: "completed",
  };
}

export function encodeBlock(block: ThinkingBlock): string {
  const kept: ThinkingBlock =
    block.type === "redacted_thinking"
      ? { type: "redacted_thinking", ...(block.data !== undefined && { data: block.data }) }
      : {
          type: "thinking",
          thinking: block.thinking ?? "",
          ...(block.signature !== undefined && { signature: block.signature }),
        };
  return PREFIX + Buffer.from(JSON.stringify(kept), "utf8").toString("base64");
}

/**
 * The block a reasoning item carries, or undefined when it carries none of ours (no encrypted_content, or one from
 * another server): such an item cannot be sent to Bedrock, which would refuse reasoning without its signature.
 */
export function decodeBlock(encrypted: string | undefined): ThinkingBlock | undefined {
  if (!encrypted?.startsWith(PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), "base64").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { type, thinking, signature, data } = parsed as Record<string, unknown>;
  if (type === "redacted_thinking" && typeof data === "string") return { type, data };
  if (type === "thinking" && typeof thinking === "string") {
    return { type, thinking, ...(typeof signature === "string" && { signature }) };
  }
  return undefined;
}
