/**
 * The emulator's token-counting rule (docs/EMULATOR-MODEL.md), used for usage, caching and CountTokens:
 * text costs ceil(characters / 4); an image 1,600; a video 3,200; a document ceil(bytes / 4) + its name (text and
 * content sources: their characters; S3 sources: the object's bytes, resolved before counting); a tool call its name and
 * JSON input; a tool definition its JSON; each message 3 more for its role framing. Stable and simple on purpose.
 */
import type { ContentBlock, ToolEntry } from "./shapes.js";

export const IMAGE_TOKENS = 1600;
export const VIDEO_TOKENS = 3200;
export const MESSAGE_OVERHEAD_TOKENS = 3;

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function base64Bytes(data: string | undefined): number {
  if (!data) return 0;
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

export function blockTokens(block: ContentBlock): number {
  if (typeof block.text === "string") return textTokens(block.text);
  if (block.image) return IMAGE_TOKENS;
  if (block.video) return VIDEO_TOKENS;
  if (block.document) {
    const source = block.document.source;
    const size =
      source?.text !== undefined
        ? source.text.length
        : source?.content !== undefined
          ? source.content.reduce((sum, c) => sum + (c.text ?? "").length, 0)
          : base64Bytes(source?.bytes);
    return Math.ceil(size / 4) + textTokens(block.document.name ?? "");
  }
  if (block.citationsContent) return block.citationsContent.content.reduce((sum, c) => sum + textTokens(c.text), 0);
  if (block.toolUse)
    return textTokens(block.toolUse.name ?? "") + textTokens(JSON.stringify(block.toolUse.input ?? {}));
  if (block.toolResult) return (block.toolResult.content ?? []).reduce((sum, b) => sum + blockTokens(b), 0);
  if (block.reasoningContent) {
    const r = block.reasoningContent;
    return textTokens(r.reasoningText?.text ?? r.redactedContent ?? "");
  }
  if (block.guardContent) return textTokens(block.guardContent.text?.text ?? "");
  if (block.json !== undefined) return textTokens(JSON.stringify(block.json));
  return 0;
}

export function toolTokens(tool: ToolEntry): number {
  return tool.toolSpec ? textTokens(JSON.stringify(tool.toolSpec)) : 0;
}
