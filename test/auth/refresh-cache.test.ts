import type { AwsCredentialIdentity } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { refreshingProvider } from "../../src/auth/refreshing-provider.js";

/** A fetch whose calls are counted and whose credentials live `lifetimeMs` on a fake clock. */
function fakeSts(clock: { now: number }, lifetimeMs: number) {
  const calls = { count: 0 };
  const fetch = async (): Promise<AwsCredentialIdentity> => {
    calls.count += 1;
    await Promise.resolve();
    return {
      accessKeyId: `ASIA${calls.count}`,
      secretAccessKey: "secret",
      expiration: new Date(clock.now + lifetimeMs),
    };
  };
  return { calls, fetch };
}

describe("refreshingProvider", () => {
  it("shares one fetch between concurrent callers and caches the result", async () => {
    const clock = { now: 0 };
    const sts = fakeSts(clock, 3_600_000);
    const provider = refreshingProvider(sts.fetch, { now: () => clock.now });
    const identities = await Promise.all(Array.from({ length: 20 }, () => provider()));
    expect(sts.calls.count).toBe(1);
    expect(new Set(identities.map((id) => id.accessKeyId))).toEqual(new Set(["ASIA1"]));
    await provider();
    expect(sts.calls.count).toBe(1);
  });

  it("refreshes 5 minutes before expiry for hour-long credentials, and a quarter of the lifetime for short ones", async () => {
    const clock = { now: 0 };
    const hourly = fakeSts(clock, 3_600_000);
    const provider = refreshingProvider(hourly.fetch, { now: () => clock.now });
    await provider();
    clock.now = 3_600_000 - 300_001;
    expect((await provider()).accessKeyId).toBe("ASIA1");
    clock.now = 3_600_000 - 300_000;
    expect((await provider()).accessKeyId).toBe("ASIA2");

    const shortClock = { now: 0 };
    const short = fakeSts(shortClock, 3_000);
    const shortProvider = refreshingProvider(short.fetch, { now: () => shortClock.now });
    await shortProvider();
    shortClock.now = 2_249;
    expect((await shortProvider()).accessKeyId).toBe("ASIA1");
    shortClock.now = 2_250;
    expect((await shortProvider()).accessKeyId).toBe("ASIA2");
  });

  it("keeps serving still-valid credentials when a refresh fails, and fails once they have expired", async () => {
    const clock = { now: 0 };
    let failing = false;
    const provider = refreshingProvider(
      async () => {
        if (failing) throw new Error("STS unavailable");
        return { accessKeyId: "ASIA1", secretAccessKey: "s", expiration: new Date(clock.now + 1_000) };
      },
      { now: () => clock.now },
    );
    await provider();
    failing = true;
    clock.now = 900;
    expect((await provider()).accessKeyId).toBe("ASIA1");
    clock.now = 1_000;
    await expect(provider()).rejects.toThrow("STS unavailable");
    failing = false;
    expect((await provider()).accessKeyId).toBe("ASIA1");
  });

  it("fetches credentials without an expiration once", async () => {
    let count = 0;
    const provider = refreshingProvider(async () => {
      count += 1;
      return { accessKeyId: "AKIA", secretAccessKey: "s" };
    });
    await provider();
    await provider();
    expect(count).toBe(1);
  });
});
