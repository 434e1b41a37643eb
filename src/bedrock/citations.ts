/**
 * Converse citations -> the chat contract's extension fields: a citationsContent block's text joins the message's
 * content and is listed in message.citations with where it sits and the sources it cites; a stream's
 * citationsDelta becomes delta.citations, ahead of the text it supports.
 */
import type { Citation, CitationsContentBlock, CitationsDelta } from "@aws-sdk/client-bedrock-runtime";
import type { CitationLocation, CitationSource, MessageCitation } from "../chat/index.js";

function source(citation: Citation | CitationsDelta): CitationSource {
  const out: CitationSource = {
    source_content: (citation.sourceContent ?? []).map((c) => c.text ?? ""),
  };
  if (citation.title !== undefined) out.title = citation.title;
  if (citation.source !== undefined) out.source = citation.source;
  if (citation.location) {
    // The SDK's union carries an $unknown member for members newer than it; drop it.
    const { $unknown: _, ...location } = citation.location as unknown as Record<string, unknown>;
    out.location = location as CitationLocation;
  }
  return out;
}

/** The text of a citationsContent block and its entry for message.citations, placed at `start` in content. */
export function citedPassage(block: CitationsContentBlock, start: number): MessageCitation {
  const text = (block.content ?? []).map((c) => c.text ?? "").join("");
  return { text, start, end: start + text.length, sources: (block.citations ?? []).map(source) };
}

export function citationDelta(delta: CitationsDelta): CitationSource {
  return source(delta);
}
