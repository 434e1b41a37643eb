/**
 * Virtual keys, limits and budgets for one gateway: who a presented key is (keys from [server.keys.NAME], keys
 * created through the admin API, and the plain [server] api_keys), whether a request may go (the key's model list,
 * its rpm / tpm / budget, and the limits of the model's section), and what it cost once it went.
 *
 * State lives in a GatewayStore (embedded SQLite, or Redis for replicas), opened on first use and only when keys,
 * limits or an admin key are configured: a gateway without them never loads a store. Keys found in the store are
 * cached here for a second (and forgotten as soon as the store says keys changed), so most requests cost one store
 * round trip: their admission, which also carries the settles of the requests that finished before it.
 *
 * When the store fails, [server.store] on_store_failure decides: "open" serves without limits and budgets (keys
 * already known still authenticate), "closed" refuses with 503; the change is said once in the log and shown in
 * /healthz and /metrics until the store answers again.
 */
import crypto, { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { dirname, resolve } from "node:path";
import type { CompletionUsage } from "../../chat/index.js";
import type { BedrockLLMConfig, ServerConfig } from "../../config/types.js";
import { ConfigError } from "../../errors.js";
import type { CounterAdd, CounterCheck, GatewayStore, KeyRecord } from "../../store/gateway-store.js";
import type { ApiKeyCheck } from "../auth.js";
import { keyErrors, type LimitKind } from "./errors.js";
import { SettleBatch } from "./settle-batch.js";
import {
  budgetPeriod,
  counterNames,
  MINUTE_COUNTER_TTL_MS,
  minuteWindow,
  SPEND_TTL_MS,
  secondsUntil,
  type Window,
} from "./windows.js";

export const ADMIN_KEY_ENV = "BEDROCK_LLM_ADMIN_KEY";
/** How long a key read from the store is trusted without asking again. */
const KEY_CACHE_MS = 1000;
/** A request goes to Bedrock while the store decides only when every counter is at most this share of its limit. */
const SPECULATION_HEADROOM = 0.5;

export interface AdmissionRequest {
  model: string;
  section: string;
  modelId: string;
  estimate: number;
}

/** Who a request is: a virtual key (by name), or a plain [server] api_keys key (no name). */
export interface Principal {
  key?: KeyRecord;
}

/** What an admitted request holds until it finishes: the counters to reconcile and charge. */
export interface Ticket {
  key?: KeyRecord;
  estimate: number;
  /** Token counters that took the estimate, to be corrected with the real usage. */
  tokenCounters: string[];
  spend?: string;
}

export interface KeyGateOptions {
  env?: NodeJS.ProcessEnv;
  /** Opens the store (tests pass one; default: the configured store). */
  openStore?: () => Promise<GatewayStore>;
  /** Where the store's changes of health are said. */
  log?: (level: "warn" | "error", message: string) => void;
  now?: () => number;
  /** How long settles wait for an admission to carry them (default SETTLE_WAIT_MS). */
  settleWaitMs?: number;
}

export type StoreHealth = "none" | "ok" | "unavailable";

/** One-shot hashing (crypto.hash, Node 20.12+): a fifth of createHash's cost, paid on every request with a key. */
export const sha256Hex: (value: string) => string =
  typeof crypto.hash === "function"
    ? (value) => crypto.hash("sha256", value, "hex")
    : (value) => createHash("sha256").update(value, "utf8").digest("hex");

export class KeyGate {
  /** Whether requests must present a key (any of api_keys, [server.keys], an admin key is configured). */
  readonly authRequired: boolean;
  /** Whether a store is needed (keys, limits, an admin key or a store URL configured). */
  readonly enabled: boolean;
  private readonly configKeys = new Map<string, KeyRecord>();
  private readonly adminDigest: Buffer | undefined;
  private readonly sectionLimits: ServerConfig["limits"];
  private readonly failOpen: boolean;
  private readonly earlySend: boolean;
  private readonly now: () => number;
  private readonly log: (level: "warn" | "error", message: string) => void;
  private readonly cache = new Map<string, { record: KeyRecord | undefined; at: number }>();
  /** Each counter's value as the store last answered it, in the current minute (budgets too). */
  private readonly seen = new Map<string, number>();
  private seenMinute = 0;
  private store: Promise<GatewayStore> | undefined;
  private opened: GatewayStore | undefined;
  private health: StoreHealth = "none";
  private readonly healthListeners: ((health: StoreHealth) => void)[] = [];
  /** Finished requests settle with the next admission, or on their own a moment later (settle-batch.ts). */
  private readonly settling: SettleBatch;

  constructor(
    config: BedrockLLMConfig,
    private readonly apiKeys: ApiKeyCheck,
    private readonly options: KeyGateOptions = {},
  ) {
    const server = config.server;
    const env = options.env ?? process.env;
    for (const [name, key] of Object.entries(server.keys)) {
      this.configKeys.set(key.key_sha256, { name, ...key, created_at: "", source: "config" });
    }
    const adminKey = env[ADMIN_KEY_ENV]?.trim();
    const adminHex = server.admin_key_sha256 ?? (adminKey ? sha256Hex(adminKey) : undefined);
    this.adminDigest = adminHex === undefined ? undefined : Buffer.from(adminHex, "hex");
    this.sectionLimits = server.limits;
    for (const section of Object.keys(server.limits)) {
      if (section !== "llm" && !Object.hasOwn(config.llms, section)) {
        throw new ConfigError(
          `server.limits.${section} names no section: use "llm" for [llm] or the NAME of an [llm.NAME] section`,
          { key: `server.limits.${section}`, ...(config.path ? { file: config.path } : {}) },
        );
      }
    }
    this.failOpen = server.store.on_store_failure === "open";
    this.earlySend = server.store.early_send;
    this.authRequired = apiKeys.enabled || this.configKeys.size > 0 || this.adminDigest !== undefined;
    this.enabled =
      this.configKeys.size > 0 ||
      this.adminDigest !== undefined ||
      Object.keys(server.limits).length > 0 ||
      server.store.url !== undefined;
    this.now = options.now ?? Date.now;
    this.settling = new SettleBatch(async (entries) => {
      await this.guard((store) => store.add(entries), undefined);
    }, options.settleWaitMs);
    this.log = options.log ?? (() => {});
    // A relative SQLite path is the configuration file's neighbour, wherever the gateway was started from.
    const storeConfig = config.path
      ? { ...server.store, path: resolve(dirname(config.path), server.store.path) }
      : server.store;
    this.options.openStore ??= async () =>
      (await import("../../store/open-store.js")).openGatewayStore(storeConfig, env);
  }

  get adminEnabled(): boolean {
    return this.adminDigest !== undefined;
  }

  /** "none" without a store; else whether it answers. */
  get storeHealth(): StoreHealth {
    return this.health;
  }

  get storeKind(): string | undefined {
    return this.opened?.kind;
  }

  onHealth(listener: (health: StoreHealth) => void): void {
    this.healthListeners.push(listener);
  }

  /** Opens the store if one is needed; idempotent. */
  open(): Promise<GatewayStore> {
    this.store ??= (async () => {
      const store = await (this.options.openStore as () => Promise<GatewayStore>)();
      this.opened = store;
      store.onKeysChanged(() => this.cache.clear());
      store.onAvailability((up) => this.setHealth(up ? "ok" : "unavailable"));
      if (this.health === "none") this.setHealth(store.available ? "ok" : "unavailable", "not reachable at start");
      return store;
    })();
    return this.store;
  }

  async close(): Promise<void> {
    await this.settling.flush().catch(() => {});
    if (this.store) await (await this.store).close();
  }

  /** Whether `key` is the admin key. */
  isAdmin(key: string | undefined): boolean {
    if (this.adminDigest === undefined || key === undefined) return false;
    return timingSafeEqual(createHash("sha256").update(key.trim(), "utf8").digest(), this.adminDigest);
  }

  /** The principal a presented key is, or undefined when it is refused. Throws when it has expired. */
  async authenticate(presented: string | undefined): Promise<Principal | undefined> {
    if (!this.authRequired) return {};
    if (presented === undefined) return undefined;
    if (this.apiKeys.enabled && this.apiKeys.allowsKey(presented)) return {};
    const hash = sha256Hex(presented.trim());
    const record = this.configKeys.get(hash) ?? (this.adminDigest ? await this.storedKey(hash) : undefined);
    if (!record) return undefined;
    if (record.expires !== undefined && Date.parse(record.expires) <= this.now()) throw keyErrors.expired(record.name);
    return { key: record };
  }

  /**
   * Starts admitting one request for `model` (as requested), served by `section` with the model id `modelId`: the
   * key's model list, then every limit and budget at once. `ticket` rejects with the refusal, or resolves to what to
   * settle when the request finishes. `speculative` ([server.store] early_send): every counter it falls
   * under was, when this replica last saw it in this window, at most half-way to its limit with this request added,
   * so the request may go to Bedrock while the store decides (its answer is held until then); a request near a
   * limit, or under a counter not seen yet, waits for the decision before anything is sent.
   */
  begin(principal: Principal, request: AdmissionRequest): { ticket: Promise<Ticket>; speculative: boolean } {
    let plan: ReturnType<KeyGate["plan"]>;
    try {
      plan = this.plan(principal, request);
    } catch (refusal) {
      return { ticket: Promise.reject(refusal), speculative: false };
    }
    if (plan.checks.length === 0) return { ticket: Promise.resolve(plan.ticket), speculative: false };
    return { ticket: this.decide(plan), speculative: this.farFromLimits(plan.checks) };
  }

  private plan(principal: Principal, request: AdmissionRequest) {
    const key = principal.key;
    if (key?.models && !allows(key.models, request)) throw keyErrors.modelNotAllowed(key.name, request.model);
    const now = this.now();
    const minute = minuteWindow(now);
    const checks: CounterCheck[] = [];
    const refusals: (() => Error)[] = [];
    const ticket: Ticket = { estimate: request.estimate, tokenCounters: [], ...(key && { key }) };
    const limit = (name: string, max: number, add: number, kind: LimitKind, scope: string) => {
      checks.push({ name, limit: max, add, ttlMs: MINUTE_COUNTER_TTL_MS });
      refusals.push(() =>
        keyErrors.limited(scope, kind, max, secondsUntil(minute.end, this.now()), kind === "tpm" ? add : undefined),
      );
      if (kind === "tpm") ticket.tokenCounters.push(name);
    };
    if (key?.rpm !== undefined)
      limit(counterNames.keyRequests(key.name, minute), key.rpm, 1, "rpm", `key "${key.name}"`);
    if (key?.tpm !== undefined) {
      limit(counterNames.keyTokens(key.name, minute), key.tpm, request.estimate, "tpm", `key "${key.name}"`);
    }
    const section = Object.hasOwn(this.sectionLimits, request.section)
      ? this.sectionLimits[request.section]
      : undefined;
    const sectionScope = `model section "${request.section}"`;
    if (section?.rpm !== undefined) {
      limit(counterNames.sectionRequests(request.section, minute), section.rpm, 1, "rpm", sectionScope);
    }
    if (section?.tpm !== undefined) {
      limit(counterNames.sectionTokens(request.section, minute), section.tpm, request.estimate, "tpm", sectionScope);
    }
    if (key?.budget_usd !== undefined) {
      const period = budgetPeriod(key.budget_period, now);
      const spend = counterNames.spend(key.name, period);
      ticket.spend = spend;
      checks.push({ name: spend, limit: key.budget_usd, add: 0, ttlMs: SPEND_TTL_MS });
      refusals.push(() =>
        keyErrors.budget(key.name, key.budget_usd as number, key.budget_period, secondsUntil(period.end, this.now())),
      );
    }
    if (minute.start !== this.seenMinute) {
      this.seen.clear(); // values of past windows say nothing about this one
      this.seenMinute = minute.start;
    }
    return { key, checks, refusals, ticket };
  }

  private async decide({ key, checks, refusals, ticket }: ReturnType<KeyGate["plan"]>): Promise<Ticket> {
    const seen = (values: number[]) => this.remember(checks, values);
    const refused = await this.guard(async (store) => {
      // The settles of requests finished since the last admission ride along, applied before the checks.
      const carried = this.settling.take();
      try {
        const admission = await store.admit(checks, seen, carried?.entries);
        carried?.done();
        return admission;
      } catch (error) {
        carried?.done(error);
        throw error;
      }
    }, -2);
    if (refused === -2) return { estimate: 0, tokenCounters: [], ...(key && { key }) }; // store down, serving open
    if (refused >= 0) throw (refusals[refused] as () => Error)();
    return ticket;
  }

  private remember(checks: readonly CounterCheck[], values: readonly number[]): void {
    if (this.seen.size > 10_000) this.seen.clear();
    checks.forEach((check, i) => {
      const value = values[i];
      if (value !== undefined && Number.isFinite(value)) this.seen.set(check.name, value);
    });
  }

  private farFromLimits(checks: readonly CounterCheck[]): boolean {
    if (!this.earlySend) return false;
    for (const check of checks) {
      const value = this.seen.get(check.name);
      if (value === undefined || value + check.add > check.limit * SPECULATION_HEADROOM) return false;
    }
    return true;
  }

  /** Corrects the token counters with the real usage and charges the real cost; never throws. */
  async settle(ticket: Ticket, usage: CompletionUsage | null | undefined, cost: number | undefined): Promise<void> {
    const used = usage ? usage.prompt_tokens + usage.completion_tokens : 0;
    const entries: CounterAdd[] = [];
    const delta = used - ticket.estimate;
    if (delta !== 0) {
      for (const name of ticket.tokenCounters) entries.push({ name, amount: delta, ttlMs: MINUTE_COUNTER_TTL_MS });
    }
    if (ticket.spend && cost) entries.push({ name: ticket.spend, amount: cost, ttlMs: SPEND_TTL_MS });
    if (entries.length === 0) return;
    await this.settling.add(entries).catch(() => {});
  }

  // --- the admin API's operations ---

  /** Creates a key; returns the key itself (shown once) and its record, or undefined when the name is taken. */
  async createKey(fields: Omit<KeyRecord, "key_sha256" | "created_at" | "source">) {
    if ([...this.configKeys.values()].some((k) => k.name === fields.name)) return undefined;
    const key = `sk-bllm-${randomBytes(24).toString("base64url")}`;
    const record: KeyRecord = {
      ...fields,
      key_sha256: sha256Hex(key),
      created_at: new Date(this.now()).toISOString(),
      source: "api",
    };
    const store = await this.open();
    if (!(await store.createKey(record))) return undefined;
    this.cache.clear();
    return { key, record };
  }

  async listKeys(): Promise<KeyRecord[]> {
    const store = await this.open();
    return [...this.configKeys.values(), ...(await store.listKeys())];
  }

  /** "revoked", "missing", or "config" for a key declared in the file (revoked by editing it). */
  async revokeKey(name: string): Promise<"revoked" | "missing" | "config"> {
    if ([...this.configKeys.values()].some((k) => k.name === name)) return "config";
    const store = await this.open();
    const revoked = await store.revokeKey(name);
    this.cache.clear();
    return revoked ? "revoked" : "missing";
  }

  /** A key's limits, its counts this minute and its spend per period. */
  async usage(name: string) {
    const record = (await this.listKeys()).find((k) => k.name === name);
    if (!record) return undefined;
    const store = await this.open();
    const now = this.now();
    const minute = minuteWindow(now);
    const [requests, tokens, spent] = await Promise.all([
      store.counters(counterNames.keyRequests(name, minute)),
      store.counters(counterNames.keyTokens(name, minute)),
      store.counters(counterNames.spendPrefix(name)),
    ]);
    const period = budgetPeriod(record.budget_period, now);
    const periods = Object.entries(spent)
      .map(([counter, usd]) => ({ start: counter.slice(counterNames.spendPrefix(name).length), spend_usd: usd }))
      .sort((a, b) => b.start.localeCompare(a.start));
    const current = counterNames.spend(name, period).slice(counterNames.spendPrefix(name).length);
    return {
      name,
      metadata: record.metadata,
      rpm: { limit: record.rpm ?? null, used: sum(requests) },
      tpm: { limit: record.tpm ?? null, used: sum(tokens) },
      budget: {
        limit_usd: record.budget_usd ?? null,
        period: record.budget_period,
        start: iso(period),
        end: new Date(period.end).toISOString(),
        spend_usd: periods.find((p) => p.start === current)?.spend_usd ?? 0,
      },
      periods,
    };
  }

  // --- the store, its cache and its health ---

  private async storedKey(hash: string): Promise<KeyRecord | undefined> {
    const cached = this.cache.get(hash);
    if (cached && this.now() - cached.at < KEY_CACHE_MS) return cached.record;
    const record = await this.guard((store) => store.keyByHash(hash), cached ? cached.record : storeMiss);
    if (record === storeMiss) throw keyErrors.storeUnavailable(); // an unknown key cannot be checked without it
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { record, at: this.now() });
    return record;
  }

  /** Runs `op` on the store; when it fails: `fallback` if failing open, else the 503 refusal. */
  private async guard<T, F>(op: (store: GatewayStore) => Promise<T>, fallback: F): Promise<T | F> {
    try {
      const result = await op(await this.open());
      if (this.health === "unavailable") this.setHealth("ok");
      return result;
    } catch (error) {
      this.setHealth("unavailable", error instanceof Error ? error.message : String(error));
      if (this.failOpen) return fallback;
      throw keyErrors.storeUnavailable();
    }
  }

  private setHealth(health: StoreHealth, cause?: string): void {
    if (health === this.health) return;
    const was = this.health;
    this.health = health;
    if (health === "ok" && was === "unavailable") this.log("warn", "gateway store reachable again");
    if (health === "unavailable" && was !== "unavailable") {
      this.log(
        "error",
        `gateway store (${this.opened?.kind ?? "?"}) unreachable${cause ? ` (${cause})` : ""}: ${this.failOpen ? "serving without limits and budgets" : "refusing requests"} ([server.store] on_store_failure) until it answers again`,
      );
    }
    for (const listener of this.healthListeners) listener(health);
  }
}

const storeMiss = Symbol("store unavailable");

function allows(models: readonly string[], request: { model: string; section: string; modelId: string }): boolean {
  return models.some(
    (m) => m === request.model || m === request.section || m === request.modelId || `bedrock/${m}` === request.modelId,
  );
}

function sum(counters: Record<string, number>): number {
  return Object.values(counters).reduce((a, b) => a + b, 0);
}

function iso(window: Window): string {
  return new Date(window.start).toISOString();
}
