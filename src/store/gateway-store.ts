/**
 * Where the gateway keeps what its replicas must agree on: virtual keys created at run time, rate-limit and token
 * counters, and spend. One small async interface with two implementations: the embedded SQLite file (one machine,
 * no server) and Redis (N replicas, every update atomic in a Lua script). The gateway's limit logic (which
 * counters, which windows) lives above it, in src/gateway/keys/, so both stores only count.
 */
import type { ResponseStore } from "./response-store.js";

/** A virtual key as stored: everything but the key itself, which is kept only as its SHA-256. */
export interface KeyRecord {
  name: string;
  key_sha256: string;
  /** Model names, section names or model ids the key may use; absent: all. */
  models?: string[];
  rpm?: number;
  tpm?: number;
  budget_usd?: number;
  /** "day", "week", "month" or "<N>d". */
  budget_period: string;
  /** ISO date-time after which the key is refused. */
  expires?: string;
  metadata: Record<string, string>;
  created_at: string;
  /** "config" for [server.keys.NAME], "api" for a key created through the admin API. */
  source: "config" | "api";
}

/**
 * One counter to check and add to. Refused when `value + add > limit`, or, for a check that adds nothing (a
 * budget), when `value >= limit`. A counter that does not exist yet is created with `ttlMs` to live.
 */
export interface CounterCheck {
  name: string;
  limit: number;
  add: number;
  ttlMs: number;
}

export interface CounterAdd {
  name: string;
  /** May be negative (a reconciled estimate). */
  amount: number;
  ttlMs: number;
}

/** -1 when every check passed and every amount was added; else the index of the first refused check (nothing added). */
export type Admission = number;

export interface GatewayStore {
  /** "sqlite" or "redis", for /healthz and the log. */
  readonly kind: string;
  /**
   * Applies `settles` (as add() would), then checks every counter, then adds to all of them, atomically (no other
   * replica's admission in between); the settles are applied whether or not the checks pass. When admitted, `seen`
   * gets each counter's value after the admission, in the order of `checks`.
   */
  admit(
    checks: readonly CounterCheck[],
    seen?: (values: number[]) => void,
    settles?: readonly CounterAdd[],
  ): Promise<Admission>;
  add(entries: readonly CounterAdd[]): Promise<void>;
  /** Every live counter whose name starts with `prefix`, by name. */
  counters(prefix: string): Promise<Record<string, number>>;
  keyByHash(sha256: string): Promise<KeyRecord | undefined>;
  listKeys(): Promise<KeyRecord[]>;
  /** False when a key of that name (or hash) exists already. */
  createKey(record: KeyRecord): Promise<boolean>;
  /** False when there was no key of that name. */
  revokeKey(name: string): Promise<boolean>;
  /** Stored responses (Responses API), shared like the rest. */
  readonly responses: ResponseStore<unknown>;
  /** Whether the store answers now (a Redis that could not be reached at start does not). */
  readonly available: boolean;
  /** Called with true when the store becomes reachable again, false when it stops being reachable. */
  onAvailability(listener: (up: boolean) => void): void;
  /** Called when a key was created or revoked, through this process or another replica. */
  onKeysChanged(listener: () => void): void;
  close(): Promise<void>;
}
