/**
 * The model's citations (the chat contract's message.citations / delta.citations, from Converse citationsContent)
 * as Anthropic's text-block citations: a documentChar location is `char_location`, documentPage `page_location`,
 * documentChunk `content_block_location`, with the cited text (the source's passages joined), the document's
 * index and its title (the name Bedrock saw). Sources of other kinds (web, search results) are left out.
 */
import type { CitationSource, MessageCitation } from "../../chat/index.js";

type Json = Record<string, unknown>;

export function anthropicCitation(source: CitationSource): Json | undefined {
  const common = {
    cited_text: source.source_content.join(""),
    document_title: source.title ?? null,
  };
  const { documentChar, documentPage, documentChunk } = source.location ?? {};
  if (documentChar) {
    return {
      type: "char_location",
      ...common,
      document_index: documentChar.documentIndex ?? 0,
      start_char_index: documentChar.start ?? 0,
      end_char_index: documentChar.end ?? 0,
      file_id: null,
    };
  }
  if (documentPage) {
    return {
      type: "page_location",
      ...common,
      document_index: documentPage.documentIndex ?? 0,
      start_page_number: documentPage.start ?? 1,
      end_page_number: documentPage.end ?? 1,
      file_id: null,
    };
  }
  if (documentChunk) {
    return {
      type: "content_block_location",
      ...common,
      document_index: documentChunk.documentIndex ?? 0,
      start_block_index: documentChunk.start ?? 0,
      end_block_index: documentChunk.end ?? 0,
      file_id: null,
    };
  }
  return undefined;
}

export function anthropicCitations(sources: readonly CitationSource[]): Json[] {
  const out: Json[] = [];
  for (const source of sources) {
    const citation = anthropicCitation(source);
    if (citation) out.push(citation);
  }
  return out;
}

/**
 * A reply's text as Anthropic's text blocks: each cited passage a block of its own with its citations, the text
 * between passages plain blocks, as Claude answers with citations on.
 */
export function textBlocks(text: string, citations: readonly MessageCitation[] | undefined): Json[] {
  if (!citations?.length) return text ? [{ type: "text", text }] : [];
  const blocks: Json[] = [];
  let at = 0;
  for (const passage of [...citations].sort((a, b) => a.start - b.start)) {
    if (passage.start > at) blocks.push({ type: "text", text: text.slice(at, passage.start) });
    const start = Math.max(passage.start, at);
    blocks.push({ type: "text", text: text.slice(start, passage.end), citations: anthropicCitations(passage.sources) });
    at = Math.max(at, passage.end);
  }
  if (at < text.length) blocks.push({ type: "text", text: text.slice(at) });
  return blocks;
}
