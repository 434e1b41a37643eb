// The in-process ResponseStore: JSON copies, retention time, and the memory bound (oldest forgotten first).
import { describe, expect, it } from "vitest";
import { MemoryResponseStore } from "../../src/store/index.js";

function storeWith(maxBytes: number) {
  let now = 1_000_000;
  const store = new MemoryResponseStore<{ text: string }>({ maxBytes, now: () => now });
  return { store, advance: (ms: number) => (now += ms) };
}

describe("MemoryResponseStore", () => {
  it("gets what was put, as a copy, and deletes it", async () => {
    const { store } = storeWith(10_000);
    const value = { text: "hello" };
    await store.put("a", value, 60);
    value.text = "changed after put";
    const read = await store.get("a");
    expect(read).toEqual({ text: "hello" });
    if (read) read.text = "changed after get";
    expect(await store.get("a")).toEqual({ text: "hello" });
    expect(await store.delete("a")).toBe(true);
    expect(await store.get("a")).toBeUndefined();
    expect(await store.delete("a")).toBe(false);
    expect(store.usedBytes).toBe(0);
  });

  it("forgets a value when its retention time has passed", async () => {
    const { store, advance } = storeWith(10_000);
    await store.put("a", { text: "x" }, 10);
    advance(9_999);
    expect(await store.get("a")).toEqual({ text: "x" });
    advance(1);
    expect(await store.get("a")).toBeUndefined();
    expect(store.size).toBe(0);
    await store.put("b", { text: "y" }, 10);
    advance(10_000);
    expect(await store.delete("b")).toBe(false);
  });

  it("sweeps expired values when storing", async () => {
    const { store, advance } = storeWith(10_000);
    await store.put("a", { text: "x" }, 1);
    await store.put("b", { text: "y" }, 1);
    advance(1_000);
    await store.put("c", { text: "z" }, 1);
    expect(store.size).toBe(1);
  });

  it("stays within its byte bound by forgetting the oldest values first", async () => {
    const size = JSON.stringify({ text: "0123456789" }).length * 2;
    const { store } = storeWith(size * 3);
    for (const id of ["a", "b", "c", "d"]) await store.put(id, { text: "0123456789" }, 60);
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("b")).toBeDefined();
    expect(await store.get("d")).toBeDefined();
    expect(store.usedBytes).toBe(size * 3);
  });

  it("replaces a value under the same id, counting its bytes once", async () => {
    const { store } = storeWith(10_000);
    await store.put("a", { text: "first" }, 60);
    await store.put("a", { text: "second" }, 60);
    expect(await store.get("a")).toEqual({ text: "second" });
    expect(store.size).toBe(1);
    expect(store.usedBytes).toBe(JSON.stringify({ text: "second" }).length * 2);
  });

  it("keeps nothing larger than its bound, and nothing at all with a bound of 0", async () => {
    const small = storeWith(20);
    await small.store.put("a", { text: "far too long for twenty bytes" }, 60);
    expect(await small.store.get("a")).toBeUndefined();
    const none = storeWith(0);
    await none.store.put("a", { text: "" }, 60);
    expect(none.store.size).toBe(0);
  });
});
