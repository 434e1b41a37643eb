/**
 * The embedded GatewayStore: one SQLite file (better-sqlite3, loaded only when this store is opened) holding keys,
 * counters, spend and stored responses, so that all of it survives a restart. better-sqlite3 is synchronous: each
 * admission is one short transaction on this thread, which is atomic for free. WAL journal, synchronous=NORMAL:
 * a power cut may lose the last moments of counting, never corrupt the file.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import type { Admission, CounterAdd, CounterCheck, GatewayStore, KeyRecord } from "./gateway-store.js";
import type { ResponseStore } from "./response-store.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value REAL NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS keys (name TEXT PRIMARY KEY, key_sha256 TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (id TEXT PRIMARY KEY, json TEXT NOT NULL, expires_at INTEGER NOT NULL);
`;
/** How often expired counters and responses are deleted. */
const SWEEP_MS = 60_000;

export async function openSqliteStore(path: string, now: () => number = Date.now): Promise<GatewayStore> {
  const { default: Database } = await import("better-sqlite3");
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return new SqliteStore(new Database(path), now);
}

class SqliteStore implements GatewayStore {
  readonly kind = "sqlite";
  readonly available = true;
  readonly responses: ResponseStore<unknown>;
  private readonly read: BetterSqlite3.Statement<[string, number], { value: number }>;
  private readonly upsert: BetterSqlite3.Statement<{ name: string; add: number; expires: number; now: number }>;
  private readonly admitAll: (
    checks: readonly CounterCheck[],
    seen: ((values: number[]) => void) | undefined,
    settles: readonly CounterAdd[] | undefined,
  ) => Admission;
  private readonly addAll: (entries: readonly CounterAdd[]) => void;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly now: () => number,
  ) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(SCHEMA);
    this.read = db.prepare("SELECT value FROM counters WHERE name = ? AND expires_at > ?");
    // An expired row starts over: its value and expiry are replaced, as a new Redis key would be.
    this.upsert = db.prepare(`INSERT INTO counters (name, value, expires_at) VALUES (@name, @add, @expires)
      ON CONFLICT (name) DO UPDATE SET
        value = CASE WHEN expires_at <= @now THEN @add ELSE value + @add END,
        expires_at = CASE WHEN expires_at <= @now THEN @expires ELSE expires_at END`);
    this.admitAll = db.transaction(
      (
        checks: readonly CounterCheck[],
        seen: ((values: number[]) => void) | undefined,
        settles: readonly CounterAdd[] | undefined,
      ) => {
        const t = this.now();
        this.addAt(settles ?? [], t);
        const values: number[] = [];
        for (const [index, check] of checks.entries()) {
          const value = this.read.get(check.name, t)?.value ?? 0;
          if (value + check.add > check.limit || (check.add === 0 && value >= check.limit)) return index;
          values.push(value + check.add);
        }
        for (const check of checks) {
          if (check.add !== 0) this.upsert.run({ name: check.name, add: check.add, expires: t + check.ttlMs, now: t });
        }
        seen?.(values);
        return -1;
      },
    );
    this.addAll = db.transaction((entries: readonly CounterAdd[]) => this.addAt(entries, this.now()));
    this.responses = new SqliteResponses(db, now);
    this.sweep = setInterval(() => this.deleteExpired(), SWEEP_MS).unref();
  }

  async admit(
    checks: readonly CounterCheck[],
    seen?: (values: number[]) => void,
    settles?: readonly CounterAdd[],
  ): Promise<Admission> {
    return this.admitAll(checks, seen, settles);
  }

  /** Adds each amount, as of time `t` (inside a transaction). */
  private addAt(entries: readonly CounterAdd[], t: number): void {
    for (const e of entries) this.upsert.run({ name: e.name, add: e.amount, expires: t + e.ttlMs, now: t });
  }

  async add(entries: readonly CounterAdd[]): Promise<void> {
    if (entries.length > 0) this.addAll(entries);
  }

  async counters(prefix: string): Promise<Record<string, number>> {
    const rows = this.db
      .prepare("SELECT name, value FROM counters WHERE substr(name, 1, ?) = ? AND expires_at > ?")
      .all(prefix.length, prefix, this.now()) as { name: string; value: number }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  async keyByHash(sha256: string): Promise<KeyRecord | undefined> {
    const row = this.db.prepare("SELECT record FROM keys WHERE key_sha256 = ?").get(sha256) as
      | { record: string }
      | undefined;
    return row ? (JSON.parse(row.record) as KeyRecord) : undefined;
  }

  async listKeys(): Promise<KeyRecord[]> {
    const rows = this.db.prepare("SELECT record FROM keys ORDER BY name").all() as { record: string }[];
    return rows.map((row) => JSON.parse(row.record) as KeyRecord);
  }

  async createKey(record: KeyRecord): Promise<boolean> {
    const result = this.db
      .prepare("INSERT OR IGNORE INTO keys (name, key_sha256, record) VALUES (?, ?, ?)")
      .run(record.name, record.key_sha256, JSON.stringify(record));
    return result.changes === 1;
  }

  async revokeKey(name: string): Promise<boolean> {
    return this.db.prepare("DELETE FROM keys WHERE name = ?").run(name).changes === 1;
  }

  onAvailability(): void {
    // A file on this machine: always reachable.
  }

  onKeysChanged(): void {
    // Only this process writes the file's keys, and the gate forgets its cache when it does.
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    this.db.close();
  }

  private deleteExpired(): void {
    const t = this.now();
    this.db.prepare("DELETE FROM counters WHERE expires_at <= ?").run(t);
    this.db.prepare("DELETE FROM responses WHERE expires_at <= ?").run(t);
  }
}

class SqliteResponses implements ResponseStore<unknown> {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly now: () => number,
  ) {}

  async get(id: string): Promise<unknown> {
    const row = this.db.prepare("SELECT json FROM responses WHERE id = ? AND expires_at > ?").get(id, this.now()) as
      | { json: string }
      | undefined;
    return row ? JSON.parse(row.json) : undefined;
  }

  async put(id: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    this.db
      .prepare("INSERT OR REPLACE INTO responses (id, json, expires_at) VALUES (?, ?, ?)")
      .run(id, JSON.stringify(value), this.now() + ttlSeconds * 1000);
  }

  async delete(id: string): Promise<boolean> {
    const t = this.now();
    const live = this.db.prepare("SELECT 1 FROM responses WHERE id = ? AND expires_at > ?").get(id, t) !== undefined;
    this.db.prepare("DELETE FROM responses WHERE id = ?").run(id);
    return live;
  }
}
