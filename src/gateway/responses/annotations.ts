/**
 * The model's citations (the chat contract's message.citations / delta.citations) as Responses annotations on
 * output_text. OpenAI's nearest shape is `file_citation` {file_id, filename, index}; Bedrock has no file ids, so
 * both name the cited document as Bedrock saw it (its sanitised file name, which is the citation's title), and
 * `index` is where the cited passage starts in the text (known as soon as the citation streams, before its text).
 * Extension fields keep what Bedrock returned: `source_content` (the document's cited passages) and `location`
 * (documentChar / documentPage / documentChunk with documentIndex, start, end).
 */
import type { CitationLocation, CitationSource, MessageCitation } from "../../chat/index.js";

export interface FileCitationAnnotation {
  type: "file_citation";
  file_id: string;
  filename: string;
  index: number;
  source_content: string[];
  location?: CitationLocation;
}

/** One annotation per source a passage cites, at the passage's start. */
export function fileCitation(source: CitationSource, index: number): FileCitationAnnotation {
  const name = source.title ?? source.source ?? "";
  return {
    type: "file_citation",
    file_id: name,
    filename: name,
    index,
    source_content: source.source_content,
    ...(source.location !== undefined && { location: source.location }),
  };
}

/** A completed message's citations, in order of the passages. */
export function annotationsOf(citations: readonly MessageCitation[] | undefined): FileCitationAnnotation[] {
  return (citations ?? []).flatMap((passage) => passage.sources.map((source) => fileCitation(source, passage.start)));
}
