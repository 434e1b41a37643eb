// Admission and the Bedrock call overlapping: a request far below every limit goes to Bedrock while the store
// decides and is answered only once admitted (a refusal then answers 429 in the door's shape, not Bedrock's reply);
// near a limit, or before the replica has seen its counters, nothing is sent until the store has admitted it.
// The store here is the embedded one with its admissions held until the test lets them through.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import type { CounterCheck, GatewayStore } from "../../src/store/gateway-store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { control, type Harness, recordedRequests, startHarness } from "./harness.js";
import { ALICE, chat, json, messages, midMinuteClock, sha256, tempDir } from "./keys-support.js";

let emulator: RunningEmulator;
let folder: ReturnType<typeof tempDir>;
let h: Harness | undefined;
/** Admissions waiting for the test: resolve(true) refuses, resolve(false) lets the store decide. */
let held: ((refuse: boolean) => void)[] = [];
let holding = false;

beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => emulator?.close());
beforeEach(async () => {
  folder = tempDir();
  held = [];
  holding = false;
  await control(emulator.url, "reset", {});
});
afterEach(async () => {
  for (const release of held) release(false);
  await h?.close();
  h = undefined;
  folder.remove();
});

async function start(rpm: number, store: Record<string, unknown> = {}): Promise<string> {
  const openStore = async (): Promise<GatewayStore> => {
    const store = await openSqliteStore(`${folder.dir}/gateway.sqlite`);
    const admit = store.admit.bind(store);
    store.admit = async (checks: readonly CounterCheck[], seen?: (values: number[]) => void) => {
      if (holding && (await new Promise<boolean>((release) => held.push(release)))) return 0;
      return admit(checks, seen);
    };
    return store;
  };
  h = await startHarness(
    { keys: { alice: { key_sha256: sha256(ALICE), rpm } }, store },
    emulator,
    {},
    { now: midMinuteClock(), openStore },
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
