// Deadlines: one coarse check fails every command still unanswered past its deadline, in the order sent, and
// leaves the answered ones alone.
import { describe, expect, it } from "vitest";
import { Deadlines } from "../../src/store/deadlines.js";

describe("Deadlines", () => {
  it("fails what is not answered in time, passes on answers and errors, and stops checking when idle", async () => {
    let now = 0;
    const deadlines = new Deadlines(
      40,
      (ms) => new Error(`late after ${ms} ms`),
      () => now,
    );
    let answer: (value: string) => void = () => {};
    const answered = deadlines.guard(new Promise<string>((resolve) => (answer = resolve)));
    const failed = deadlines.guard(Promise.reject(new Error("refused")));
    const never = deadlines.guard(new Promise<string>(() => {}));
    answer("ok");
    await expect(answered).resolves.toBe("ok");
    await expect(failed).rejects.toThrow("refused");
    now = 41; // past the deadline: the next check (every 10 ms) fails the unanswered one
    await expect(never).rejects.toThrow("late after 40 ms");
    const later = deadlines.guard(Promise.resolve(1)); // checks start again for new commands
    await expect(later).resolves.toBe(1);
    deadlines.stop();
  });
});
