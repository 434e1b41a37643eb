/** Minimal XML writing for STS's query-protocol responses. */

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A tree of elements: strings become text, objects nest, undefined members are left out. */
export type XmlTree = { [name: string]: string | number | XmlTree | undefined };

export function xmlElements(tree: XmlTree): string {
  let out = "";
  for (const [name, value] of Object.entries(tree)) {
    if (value === undefined) continue;
    const inner = typeof value === "object" ? xmlElements(value) : escapeXml(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}
