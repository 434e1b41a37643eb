/**
 * Citations for documents sent with `citations: {enabled: true}`: the reply quotes each such document in a
 * citationsContent block, as Claude on Bedrock does. Locations follow the document's kind: documentPage for
 * binary formats (pdf, doc, ...), documentChar for text, documentChunk for content sources. documentIndex counts
 * the request's documents in order; the title is the document's name.
 */
import type { Citation, CitationsContent, ContentBlock, DocumentBlock, Message } from "./shapes.js";

const TEXT_FORMATS = new Set(["txt", "md", "csv", "html"]);
const PASSAGE_CHARS = 200;
const QUOTE_WORDS = 12;

/** The document's text as the emulator reads it: text sources as they are, PDF text operators, printable runs. */
export function documentText(document: DocumentBlock): string {
  const source = document.source ?? {};
  if (source.text !== undefined) return source.text;
  if (source.content) return source.content.map((c) => c.text ?? "").join("\n");
  const bytes = Buffer.from(source.bytes ?? "", "base64");
  if (TEXT_FORMATS.has(document.format ?? "")) return bytes.toString("utf8");
  const raw = bytes.toString("latin1");
  const shown = [...raw.matchAll(/\(((?:[^()\\]|\\.)*)\)\s*Tj/g)].map((m) => m[1] ?? "");
  if (shown.length > 0) return shown.join(" ");
  return (raw.match(/[\x20-\x7e]{4,}/g) ?? []).join(" ");
}

/** The first non-blank line, at most 200 characters, and where it starts. */
function passage(text: string): { text: string; start: number } {
  const match = /\S[^\n]*/.exec(text);
  if (!match) return { text: "", start: 0 };
  return { text: match[0].slice(0, PASSAGE_CHARS).trimEnd(), start: match.index };
}

function location(
  document: DocumentBlock,
  documentIndex: number,
  cited: { text: string; start: number },
): NonNullable<Citation["location"]> {
  const source = document.source ?? {};
  if (source.content) return { documentChunk: { documentIndex, start: 0, end: 1 } };
  if (source.text !== undefined || TEXT_FORMATS.has(document.format ?? "")) {
    return { documentChar: { documentIndex, start: cited.start, end: cited.start + cited.text.length } };
  }
  return { documentPage: { documentIndex, start: 1, end: 2 } };
}

/** One citationsContent block per document that asks for citations; none when no document does. */
export function citationBlocks(messages: readonly Message[]): ContentBlock[] {
  const documents = messages.flatMap((m) => (m.content ?? []).flatMap((b) => (b.document ? [b.document] : [])));
  const blocks: ContentBlock[] = [];
  documents.forEach((document, documentIndex) => {
    if (!document.citations?.enabled) return;
    const cited = passage(documentText(document));
    const quote = cited.text.split(/\s+/).filter(Boolean).slice(0, QUOTE_WORDS).join(" ");
    const citation: Citation = {
      title: document.name ?? "",
      sourceContent: [{ text: cited.text }],
      location: location(document, documentIndex, cited),
    };
    const content: CitationsContent = { content: [{ text: quote || "(empty document)" }], citations: [citation] };
    blocks.push({ citationsContent: content });
  });
  return blocks;
}
