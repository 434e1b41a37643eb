/**
 * The shared GatewayStore: keys, counters, spend and stored responses in one Redis, so N replicas enforce one
 * limit. Every admission is one Lua script (check every counter, then add to all: nothing runs between on the
 * server), so two replicas can never both take the last request of a minute. Key changes are published on a
 * channel that every replica subscribes to, so a revoked key is forgotten everywhere at once.
 *
 * Commands fail fast while Redis is unreachable (no offline queue): the gateway then serves or refuses as
 * configured, and the client reconnects by itself in the background.
 */
import { readFileSync } from "node:fs";
import { createClient } from "redis";
import { Deadlines } from "./deadlines.js";
import type { Admission, CounterAdd, CounterCheck, GatewayStore, KeyRecord } from "./gateway-store.js";
import type { ResponseStore } from "./response-store.js";

export interface RedisStoreOptions {
  url: string;
  username?: string;
  password?: string;
  tls?: boolean;
  tlsCaFile?: string;
  /** Prefix of every key and channel. */
  prefix: string;
  /** How long opening waits for a first connection before going on without one (default 2 s). */
  connectTimeoutMs?: number;
  /** How long a command may wait for Redis's answer before it fails (default 5 s, node-redis's own default). */
  commandTimeoutMs?: number;
}

// Adds ARGV[a], ARGV[a + 1] (amount, ttl ms) to KEYS[k]. Only a counter whose new value is the amount may be new (or
// held 0): only then is its time to live looked up, and set when it has none.
const ADD_ONE = `
local function add(k, a)
  if tonumber(redis.call('INCRBYFLOAT', KEYS[k], ARGV[a])) == tonumber(ARGV[a]) and redis.call('PTTL', KEYS[k]) < 0 then
    redis.call('PEXPIRE', KEYS[k], ARGV[a + 1])
  end
end`;

// KEYS: the settles' counters, then the checks' counters; ARGV: the number of settles, amount and ttl ms for each
// settle, then limit, add and ttl ms for each check. The settles are applied first, whatever the checks say.
// Returns the 1-based refused check, or, when admitted, every checked counter's value after it (as text: Lua
// numbers would reach the client truncated to integers).
const ADMIT = `${ADD_ONE}
local settles = tonumber(ARGV[1])
for i = 1, settles do add(i, i * 2) end
local at = 1 + settles * 2
local checks = #KEYS - settles
local values = {}
local absent = {}
for i = 1, checks do
  local limit = tonumber(ARGV[at + i * 3 - 2])
  local add = tonumber(ARGV[at + i * 3 - 1])
  local found = redis.call('GET', KEYS[settles + i])
  local value = tonumber(found or '0')
  if value + add > limit or (add == 0 and value >= limit) then return i end
  values[i] = tostring(value)
  absent[i] = not found
end
for i = 1, checks do
  local add = ARGV[at + i * 3 - 1]
  if tonumber(add) ~= 0 then
    values[i] = redis.call('INCRBYFLOAT', KEYS[settles + i], add)
    -- A counter is created with its time to live (every later add keeps it): no TTL lookup per admission.
    if absent[i] then redis.call('PEXPIRE', KEYS[settles + i], ARGV[at + i * 3]) end
  end
end
return values`;

// KEYS: counters; ARGV: amount, ttl ms for each.
const ADD = `${ADD_ONE}
for i = 1, #KEYS do add(i, i * 2 - 1) end
return 0`;

// KEYS: names hash, hashes hash; ARGV: name, sha256, record.
const CREATE_KEY = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return 1`;

// KEYS: names hash, hashes hash; ARGV: name.
const REVOKE_KEY = `
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return 0 end
redis.call('HDEL', KEYS[2], cjson.decode(record).key_sha256)
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

type Client = ReturnType<typeof createClient>;

/** node-redis's own default, which the store's Deadlines take over. */
const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

export async function openRedisStore(options: RedisStoreOptions): Promise<GatewayStore> {
  const store = new RedisStore(options);
  await store.start(options.connectTimeoutMs ?? 2000);
  return store;
}

class RedisStore implements GatewayStore {
  readonly kind = "redis";
  readonly responses: ResponseStore<unknown>;
  private readonly client: Client;
  private readonly subscriber: Client;
  private readonly names: string;
  private readonly hashes: string;
  private readonly channel: string;
  private readonly scripts = new Map<string, string>();
  private readonly availability: ((up: boolean) => void)[] = [];
  private readonly keyListeners: (() => void)[] = [];
  private up = false;
  private readonly deadlines: Deadlines;

  constructor(private readonly options: RedisStoreOptions) {
    const ca = options.tlsCaFile ? readFileSync(options.tlsCaFile) : undefined;
    const tls = options.tls ?? options.url.startsWith("rediss:");
    const settings = {
      url: options.url,
      ...(options.username !== undefined && { username: options.username }),
      ...(options.password !== undefined && { password: options.password }),
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        // Try again soon and keep trying: the store comes back by itself when Redis does.
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
        ...(tls ? { tls: true as const, ...(ca && { ca }) } : {}),
      },
    };
    this.client = createClient({
      ...settings,
      // No timer per command on the busy client: Deadlines below fails a command Redis does not answer, for a
      // fraction of the cost. The subscriber's few commands keep node-redis's own timeout.
      commandOptions: { timeout: 0 },
      // A Redis that stopped answering must not gather an unbounded queue of commands that failed here already.
      commandsQueueMaxLength: 100_000,
    });
    this.subscriber = createClient(settings);
    this.names = `${options.prefix}keys`;
    this.hashes = `${options.prefix}key-hashes`;
    this.channel = `${options.prefix}keys-changed`;
    this.deadlines = new Deadlines(
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      (ms) => new Error(`Redis did not answer within ${ms} ms`),
    );
    this.responses = new RedisResponses(this.client, `${options.prefix}response:`, this.deadlines);
    // Errors are reported through availability (once per change), not thrown from the event emitter.
    this.client.on("error", () => this.setUp(false));
    this.subscriber.on("error", () => {});
    this.client.on("ready", () => {
      this.scripts.clear(); // a restarted Redis has lost its script cache
      this.setUp(true);
    });
    // A replica that was cut off may have missed revocations: forget every cached key when it is back.
    this.subscriber.on("ready", () => this.changed());
  }

  async start(timeoutMs: number): Promise<void> {
    const connected = Promise.all([
      this.client.connect(),
      this.subscriber.connect().then(() => this.subscriber.subscribe(this.channel, () => this.changed())),
    ]);
    connected.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([connected, timeout]);
    clearTimeout(timer);
  }

  async admit(
    checks: readonly CounterCheck[],
    seen?: (values: number[]) => void,
    settles: readonly CounterAdd[] = [],
  ): Promise<Admission> {
    if (checks.length === 0) {
      await this.add(settles);
      return -1;
    }
    const args = [String(settles.length)];
    for (const s of settles) args.push(String(s.amount), String(Math.ceil(s.ttlMs)));
    for (const c of checks) args.push(String(c.limit), String(c.add), String(Math.ceil(c.ttlMs)));
    const reply = await this.run(ADMIT, [...this.keysOf(settles), ...this.keysOf(checks)], args);
    if (!Array.isArray(reply)) return Number(reply) - 1;
    seen?.(reply.map(Number));
    return -1;
  }

  async add(entries: readonly CounterAdd[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) => [String(e.amount), String(Math.ceil(e.ttlMs))]);
    await this.run(ADD, this.keysOf(entries), args);
  }

  async counters(prefix: string): Promise<Record<string, number>> {
    const full = `${this.options.prefix}${prefix}`;
    const found: Record<string, number> = {};
    const names = await this.deadlines.guard(
      (async () => {
        const names: string[] = [];
        for await (const batch of this.client.scanIterator({ MATCH: `${escapeGlob(full)}*`, COUNT: 500 })) {
          names.push(...batch);
        }
        return names;
      })(),
    );
    if (names.length === 0) return found;
    const values = await this.deadlines.guard(this.client.mGet(names));
    names.forEach((name, i) => {
      const value = values[i];
      if (value != null) found[name.slice(this.options.prefix.length)] = Number(value);
    });
    return found;
  }

  async keyByHash(sha256: string): Promise<KeyRecord | undefined> {
    const name = await this.deadlines.guard(this.client.hGet(this.hashes, sha256));
    if (name == null) return undefined;
    const record = await this.deadlines.guard(this.client.hGet(this.names, name));
    return record == null ? undefined : (JSON.parse(record) as KeyRecord);
  }

  async listKeys(): Promise<KeyRecord[]> {
    const all = await this.deadlines.guard(this.client.hGetAll(this.names));
    return Object.values(all)
      .map((record) => JSON.parse(record) as KeyRecord)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async createKey(record: KeyRecord): Promise<boolean> {
    const created = Number(
      await this.run(CREATE_KEY, [this.names, this.hashes], [record.name, record.key_sha256, JSON.stringify(record)]),
    );
    if (created === 1) await this.deadlines.guard(this.client.publish(this.channel, record.name));
    return created === 1;
  }

  async revokeKey(name: string): Promise<boolean> {
    const revoked = Number(await this.run(REVOKE_KEY, [this.names, this.hashes], [name]));
    if (revoked === 1) await this.deadlines.guard(this.client.publish(this.channel, name));
    return revoked === 1;
  }

  get available(): boolean {
    return this.up;
  }

  onAvailability(listener: (up: boolean) => void): void {
    this.availability.push(listener);
  }

  onKeysChanged(listener: () => void): void {
    this.keyListeners.push(listener);
  }

  async close(): Promise<void> {
    this.deadlines.stop();
    const grace = Math.min(this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, 1000);
    await Promise.allSettled([closeClient(this.client, grace), closeClient(this.subscriber, grace)]);
  }

  private keysOf(entries: readonly { name: string }[]): string[] {
    return entries.map((e) => `${this.options.prefix}${e.name}`);
  }

  /** EVALSHA, loading the script on first use (and again after Redis restarted and forgot it). */
  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.scripts.get(script);
    try {
      if (sha === undefined) {
        sha = await this.deadlines.guard(this.client.scriptLoad(script));
        this.scripts.set(script, sha);
      }
      const result = await this.deadlines.guard(this.client.evalSha(sha, { keys, arguments: args }));
      this.setUp(true);
      return result;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
        this.scripts.delete(script);
        return this.run(script, keys, args);
      }
      if (!this.client.isReady) this.setUp(false);
      throw error;
    }
  }

  private setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    for (const listener of this.availability) listener(up);
  }

  private changed(): void {
    for (const listener of this.keyListeners) listener();
  }
}

class RedisResponses implements ResponseStore<unknown> {
  constructor(
    private readonly client: Client,
    private readonly prefix: string,
    private readonly deadlines: Deadlines,
  ) {}

  async get(id: string): Promise<unknown> {
    const json = await this.deadlines.guard(this.client.get(this.prefix + id));
    return json == null ? undefined : JSON.parse(json);
  }

  async put(id: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    await this.deadlines.guard(
      this.client.set(this.prefix + id, JSON.stringify(value), { expiration: { type: "EX", value: ttlSeconds } }),
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.deadlines.guard(this.client.del(this.prefix + id))) === 1;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * Closes a client, letting its commands in flight finish for up to `graceMs`: node-redis's close() waits for every
 * one of them, and with no timeout per command a Redis that stopped answering (or died before they were written)
 * would hold the gateway's shutdown forever. After the grace, what is left is rejected and the socket dropped.
 */
async function closeClient(client: Client, graceMs: number): Promise<void> {
  if (!client.isOpen) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  const closed = client.close().then(() => false);
  closed.catch(() => {});
  const gaveUp = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (gaveUp) client.destroy();
}
