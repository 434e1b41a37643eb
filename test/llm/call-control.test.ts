/** Call cancellation: the caller's signal and the shared deadline timer. */
import { describe, expect, it } from "vitest";
import { AbortedError, TimeoutError } from "../../src/errors.js";
import { CallControl } from "../../src/llm/call-control.js";

/** Resolves when the SDK-facing signal fires. */
function aborted(control: CallControl): Promise<void> {
  return new Promise((resolve) => {
    control.sdkSignal.onabort = () => resolve();
  });
}

describe("CallControl", () => {
  it("times calls out on the shared timer, earliest first, re-arming for the later ones", async () => {
    const later = new CallControl(undefined, 0.08);
    const finished = new CallControl(undefined, 0.01);
    const earlier = new CallControl(undefined, 0.03);
    finished.dispose();
    await aborted(earlier);
    expect(later.aborted).toBe(false);
    await aborted(later);
    expect(finished.aborted).toBe(false);
    expect(earlier.abortError("partial")).toBeInstanceOf(TimeoutError);
    expect(earlier.abortError("partial").partialText).toBe("partial");
    later.dispose();
    earlier.dispose();
  });

  it("reports the caller's abort as AbortedError, and a cancelled stream aborts what is in flight", async () => {
    const caller = new AbortController();
    const control = new CallControl(caller.signal, 600);
    const fired = aborted(control);
    caller.abort(new Error("user stop"));
    await fired;
    expect(control.abortError()).toBeInstanceOf(AbortedError);
    expect(control.signal.aborted).toBe(true);
    control.dispose();

    const abandoned = new CallControl(undefined, 600);
    abandoned.dispose(true);
    expect(abandoned.aborted).toBe(true);
    expect(new CallControl(AbortSignal.abort(), 600).aborted).toBe(true);
  });
});
