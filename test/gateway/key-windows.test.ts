// The windows limits and budgets count in: one-minute windows, and budget periods in UTC.
import { describe, expect, it } from "vitest";
import { budgetPeriod, minuteWindow, secondsUntil } from "../../src/gateway/keys/windows.js";

const at = (iso: string) => Date.parse(iso);
const iso = (w: { start: number; end: number }) => [new Date(w.start).toISOString(), new Date(w.end).toISOString()];

describe("limit windows", () => {
  it("are whole UTC minutes", () => {
    expect(iso(minuteWindow(at("2026-11-28T13:05:42.123Z")))).toEqual([
      "2026-11-28T13:05:00.000Z",
      "2026-11-28T13:06:00.000Z",
    ]);
  });

  it.each([
    ["day", "2026-11-28T23:59:59Z", "2026-11-28T00:00:00.000Z", "2026-11-29T00:00:00.000Z"],
    ["week", "2026-11-28T10:00:00Z", "2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"], // a Saturday
    ["week", "2026-11-30T00:00:00Z", "2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"], // a Monday
    ["month", "2026-12-31T23:00:00Z", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ["1d", "2026-11-28T10:00:00Z", "2026-11-28T00:00:00.000Z", "2026-11-29T00:00:00.000Z"],
    ["30d", "2026-11-28T10:00:00Z", "2026-11-03T00:00:00.000Z", "2026-12-03T00:00:00.000Z"], // counted from 1970-01-01,
  ])("budget period %s holding %s", (period, now, start, end) => {
    expect(iso(budgetPeriod(period, at(now)))).toEqual([start, end]);
  });

  it("Retry-After is whole seconds, at least 1", () => {
    expect(secondsUntil(at("2026-11-28T13:06:00Z"), at("2026-11-28T13:05:42.100Z"))).toBe(18);
    expect(secondsUntil(1000, 1000)).toBe(1);
  });
});
