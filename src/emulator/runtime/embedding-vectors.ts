/**
 * The emulator's embedding rule (docs/EMULATOR-MODEL.md, "Embeddings"): a hashed bag of features projected to the
 * requested size. Features are the text's words (lower-cased runs of letters and digits, weight 1) and each word's
 * character trigrams with boundary marks (weight 1/2); each feature adds its weight to 4 positions chosen by its
 * hash, with a hashed sign. The sum is normalised to length 1. The same text always gives the same vector; texts
 * sharing words (or word parts) have a positive cosine, unrelated texts a cosine near 0.
 */

const POSITIONS_PER_FEATURE = 4;
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;
const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a over the UTF-16 code units, 32 bits. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One step of a 32-bit mixer (murmur3's finaliser), to draw several positions from one hash. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function features(text: string): Map<string, number> {
  const result = new Map<string, number>();
  const add = (feature: string, weight: number) => result.set(feature, (result.get(feature) ?? 0) + weight);
  const words = text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  for (const word of words) {
    add(`w:${word}`, WORD_WEIGHT);
    const marked = `<${word}>`;
    for (let i = 0; i + 3 <= marked.length; i++) add(`c:${marked.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  // Text without a letter or digit still gets its own (stable) direction.
  if (words.length === 0) add(`t:${text}`, WORD_WEIGHT);
  return result;
}

/** Float vector of `dimension` numbers for a text; unit length unless `normalize` is false. */
export function embedText(text: string, dimension: number, normalize = true): number[] {
  return project(features(text), dimension, normalize);
}

/**
 * Text with images (Cohere v4 inputs, image-only requests): each image is one feature, its own data, so equal
 * images give equal vectors; the text's features are added as usual.
 */
export function embedParts(text: string, images: readonly string[], dimension: number): number[] {
  const weights = text === "" ? new Map<string, number>() : features(text);
  for (const image of images) weights.set(`b:${image}`, (weights.get(`b:${image}`) ?? 0) + WORD_WEIGHT);
  return project(weights, dimension, true);
}

function project(weights: Map<string, number>, dimension: number, normalize: boolean): number[] {
  const vector = new Float64Array(dimension);
  const share = 1 / Math.sqrt(POSITIONS_PER_FEATURE);
  for (const [feature, weight] of weights) {
    let h = fnv1a(feature);
    for (let k = 0; k < POSITIONS_PER_FEATURE; k++) {
      h = mix(h + k);
      const sign = h & 1 ? 1 : -1;
      const index = (h >>> 1) % dimension;
      vector[index] = (vector[index] ?? 0) + sign * weight * share;
    }
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  const scale = normalize && norm > 0 ? 1 / Math.sqrt(norm) : 1;
  return Array.from(vector, (v) => Number((v * scale).toPrecision(7)));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Titan's binary type: one 0/1 per dimension (1 where the float is positive). */
export function titanBinary(vector: readonly number[]): number[] {
  return vector.map((v) => (v > 0 ? 1 : 0));
}

/** Cohere's quantised types: int8 / uint8 scale by the largest magnitude; (u)binary pack 8 signs per byte. */
export function cohereTyped(vector: readonly number[], type: string): number[] {
  if (type === "float") return [...vector];
  if (type === "int8" || type === "uint8") {
    const max = vector.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    const offset = type === "uint8" ? 128 : 0;
    return vector.map((v) => Math.max(-128, Math.min(127, Math.round((v / max) * 127))) + offset);
  }
  const packed: number[] = [];
  for (let i = 0; i < vector.length; i += 8) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) byte = (byte << 1) | ((vector[i + bit] ?? 0) > 0 ? 1 : 0);
    packed.push(type === "binary" ? byte - 128 : byte);
  }
  return packed;
}
