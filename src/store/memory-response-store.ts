/**
 * The in-process ResponseStore: values kept as JSON text in insertion order, each with its expiry. Memory is
 * bounded by `maxBytes` (the JSON text's UTF-16 length, twice its characters): storing past the bound evicts the
 * oldest entries first, so a busy gateway forgets old conversations rather than growing without limit. Expired
 * entries are dropped when read, and swept from the front when storing (the oldest expire first, as every entry
 * of one store has the same retention).
 */
import type { ResponseStore } from "./response-store.js";

export interface MemoryResponseStoreOptions {
  /** Bound on the stored JSON text, in bytes (2 per character); 0 stores nothing. */
  maxBytes: number;
  /** Clock in milliseconds (tests replace it). */
  now?: () => number;
}

interface Entry {
  json: string;
  expiresAt: number;
}

export class MemoryResponseStore<T = unknown> implements ResponseStore<T> {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: MemoryResponseStoreOptions) {
    this.maxBytes = options.maxBytes;
    this.now = options.now ?? Date.now;
  }

  /** Entries held (expired ones not yet swept included). */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, by the measure of maxBytes. */
  get usedBytes(): number {
    return this.bytes;
  }

  async get(id: string): Promise<T | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(id, entry);
      return undefined;
    }
    return JSON.parse(entry.json) as T;
  }

  async put(id: string, value: T, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(value);
    const size = sizeOf(json);
    const existing = this.entries.get(id);
    if (existing) this.remove(id, existing);
    if (size > this.maxBytes || ttlSeconds <= 0) return;
    this.sweepExpired();
    for (const [oldId, old] of this.entries) {
      if (this.bytes + size <= this.maxBytes) break;
      this.remove(oldId, old);
    }
    this.entries.set(id, { json, expiresAt: this.now() + ttlSeconds * 1000 });
    this.bytes += size;
  }

  async delete(id: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.remove(id, entry);
    return entry.expiresAt > this.now();
  }

  /** Drops expired entries from the front: insertion order is expiry order when every TTL is the same. */
  private sweepExpired(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.remove(id, entry);
    }
  }

  private remove(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.bytes -= sizeOf(entry.json);
  }
}

function sizeOf(json: string): number {
  return json.length * 2;
}
