// Admission and the Bedrock call overlapping: a request far below every limit goes to Bedrock while the store
// decides and is answered only once admitted (a refusal then answers 429 in the door's shape, not Bedrock's reply);
// near a limit, or before the replica has seen its counters, nothing is sent until the store has admitted it.
// The store here is the embedded one with its admissions held until the test lets them through.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import type { CounterAdd, CounterCheck, GatewayStore } from "../../src/store/gateway-store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { control, type Harness, recordedRequests, startHarness } from "./harness.js";
import { ALICE, chat, json, messages, midMinuteClock, sha256, tempDir } from "./keys-support.js";

let emulator: RunningEmulator;
let folder: ReturnType<typeof tempDir>;
let h: Harness | undefined;
/** Admissions waiting for the test: resolve(true) refuses, resolve(false) lets the store decide. */
let held: ((refuse: boolean) => void)[] = [];
let holding = false;
/** What each admission carried, and the settles sent on their own. */
let carried: CounterAdd[][] = [];
let addedAlone: CounterAdd[][] = [];

beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => emulator?.close());
beforeEach(async () => {
  folder = tempDir();
  held = [];
  holding = false;
  carried = [];
  addedAlone = [];
  await control(emulator.url, "reset", {});
});
afterEach(async () => {
  for (const release of held) release(false);
  await h?.close();
  h = undefined;
  folder.remove();
});

async function start(
  rpm: number,
  store: Record<string, unknown> = {},
  key: Record<string, unknown> = {},
  settleWaitMs?: number,
): Promise<string> {
  const openStore = async (): Promise<GatewayStore> => {
    const store = await openSqliteStore(`${folder.dir}/gateway.sqlite`);
    const admit = store.admit.bind(store);
    const add = store.add.bind(store);
    store.admit = async (checks: readonly CounterCheck[], seen?: (values: number[]) => void, settles = []) => {
      carried.push([...settles]);
      if (holding && (await new Promise<boolean>((release) => held.push(release)))) return 0;
      return admit(checks, seen, settles);
    };
    store.add = async (entries: readonly CounterAdd[]) => {
      addedAlone.push([...entries]);
      return add(entries);
    };
    return store;
  };
  h = await startHarness(
    { keys: { alice: { key_sha256: sha256(ALICE), rpm, ...key } }, store },
    emulator,
    {},
    { now: midMinuteClock(), openStore, ...(settleWaitMs !== undefined && { settleWaitMs }) },
  );
  return h.gateway.url;
}

/** Resolves when the store has been asked to admit `n` requests held so far. */
const admissionsHeld = (n: number) => vi.waitFor(() => expect(held).toHaveLength(n));

describe("admission and the Bedrock call", () => {
  it("far below the limit: sent while the store decides, answered once admitted", async () => {
    const url = await start(1000);
    expect((await chat(url, ALICE)).status).toBe(200); // the replica now knows the counter: 1 of 1000
    holding = true;
    let answered = false;
    const pending = chat(url, ALICE).then((res) => {
      answered = true;
      return res;
    });
    await admissionsHeld(1);
    await vi.waitFor(async () => expect(await recordedRequests(emulator.url)).toHaveLength(2));
    expect(answered).toBe(false);
    held[0]?.(false);
    expect((await pending).status).toBe(200);
  });

  it("far below the limit but refused meanwhile: 429 in the door's shape, not Bedrock's answer", async () => {
    const url = await start(1000);
    expect((await chat(url, ALICE)).status).toBe(200);
    holding = true;
    const openai = chat(url, ALICE);
    const anthropic = messages(url, ALICE, { stream: true });
    await admissionsHeld(2);
    await vi.waitFor(async () => expect(await recordedRequests(emulator.url)).toHaveLength(3));
    for (const release of held) release(true);
    const [refused, refusedStream] = await Promise.all([openai, anthropic]);
    expect(refused.status).toBe(429);
    expect((await json(refused)).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(refusedStream.status).toBe(429);
    expect(await json(refusedStream)).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("near the limit, or with counters not seen yet: nothing is sent before the store has admitted it", async () => {
    const url = await start(3);
    holding = true;
    // Not seen yet: held, and refused without reaching Bedrock.
    const first = chat(url, ALICE);
    await admissionsHeld(1);
    held[0]?.(true);
    expect((await first).status).toBe(429);
    holding = false;
    expect((await chat(url, ALICE)).status).toBe(200); // 1 of 3: 1 + 1 is more than half of 3
    holding = true;
    const near = chat(url, ALICE);
    await admissionsHeld(2);
    held[1]?.(true);
    expect((await near).status).toBe(429);
    expect(await recordedRequests(emulator.url)).toHaveLength(1);
  });

  it("with [server.store] early_send = false, even far below the limit nothing is sent before admission", async () => {
    const url = await start(1000, { early_send: false });
    expect((await chat(url, ALICE)).status).toBe(200);
    holding = true;
    const far = chat(url, ALICE);
    await admissionsHeld(1);
    held[0]?.(true);
    expect((await far).status).toBe(429);
    expect(await recordedRequests(emulator.url)).toHaveLength(1);
  });
});

describe("settling", () => {
  it("a finished request's tokens and cost ride with the next admission: one store call per request", async () => {
    const url = await start(1000, {}, { tpm: 1_000_000, budget_usd: 100, budget_period: "day" }, 60_000);
    const first = await json(await chat(url, ALICE));
    const used = first.usage.prompt_tokens + first.usage.completion_tokens;
    const estimate = Math.ceil(
      JSON.stringify({ model: "default", messages: [{ role: "user", content: "Hello there" }] }).length / 4,
    );
    expect((await chat(url, ALICE)).status).toBe(200);
    expect(carried).toHaveLength(2);
    expect(carried[0]).toEqual([]);
    const settle = (prefix: string) => carried[1]?.find((e) => e.name.startsWith(prefix))?.amount;
    expect(settle("tpm:key:alice:")).toBe(used - estimate); // the estimate corrected with the real usage
    expect(settle("spend:alice:")).toBeCloseTo(first.cost, 12);
    expect(addedAlone).toEqual([]); // nothing went to the store on its own
  });

  it("settles that no admission takes go to the store on their own a moment later", async () => {
    const url = await start(1000, {}, { tpm: 1_000_000, budget_usd: 100, budget_period: "day" });
    expect((await chat(url, ALICE)).status).toBe(200);
    await vi.waitFor(() => expect(addedAlone).toHaveLength(1));
    expect(addedAlone[0]?.map((e) => e.name.split(":")[0]).sort()).toEqual(["spend", "tpm"]);
  });
});
