/**
 * Document names as Bedrock accepts them: letters, digits, single spaces, hyphens, parentheses and square
 * brackets, 1 to 200 characters, unique within a request. Names are made to fit instead of failing: the known
 * extension is dropped (the format travels separately), accents are folded ("résumé" -> "resume"), each run of
 * other characters becomes one space ("John's report_v2.final" -> "John s report v2 final"), a name left empty is
 * "document", and a repeat gets " (2)", " (3)", ... (compared case-insensitively).
 */
import { DOCUMENT_FORMATS } from "../chat/index.js";

const MAX_LENGTH = 200;
const DISALLOWED = /[^A-Za-z0-9\-()[\] ]+/g;
const KNOWN_EXTENSIONS = new Set<string>([...DOCUMENT_FORMATS, "htm", "markdown", "text"]);

export function sanitiseDocumentName(raw: string): string {
  let name = raw.split(/[/\\]/).pop() ?? "";
  const dot = name.lastIndexOf(".");
  if (dot > 0 && KNOWN_EXTENSIONS.has(name.slice(dot + 1).toLowerCase())) name = name.slice(0, dot);
  name = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(DISALLOWED, " ")
    .replace(/ {2,}/g, " ")
    .trim();
  return name.slice(0, MAX_LENGTH).trimEnd() || "document";
}

/** Hands out sanitised names, unique across one request. */
export class DocumentNamer {
  private readonly used = new Set<string>();

  name(raw: string | undefined): string {
    const base = sanitiseDocumentName(raw ?? "document");
    let name = base;
    for (let n = 2; this.used.has(name.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      name = `${base.slice(0, MAX_LENGTH - suffix.length).trimEnd()}${suffix}`;
    }
    this.used.add(name.toLowerCase());
    return name;
  }
}
