/**
 * The time windows limits count in, and the names of their counters in the store. Rate limits count in fixed
 * one-minute windows (aligned on the minute, so every replica names the same counter); budgets in calendar
 * periods (UTC day, ISO week from Monday, calendar month) or in N-day periods counted from 1970-01-01 UTC.
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface Window {
  start: number;
  end: number;
}

export function minuteWindow(now: number): Window {
  const start = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  return { start, end: start + MINUTE_MS };
}

/** The budget period (`day`, `week`, `month`, `<N>d`) that holds `now`. */
export function budgetPeriod(period: string, now: number): Window {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === "day") return { start: midnight, end: midnight + DAY_MS };
  if (period === "week") {
    const start = midnight - ((date.getUTCDay() + 6) % 7) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  if (period === "month") {
    return {
      start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
      end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
    };
  }
  const length = Number.parseInt(period, 10) * DAY_MS;
  const start = Math.floor(now / length) * length;
  return { start, end: start + length };
}

/** Whole seconds until `end`, at least 1: the Retry-After of a refusal. */
export function secondsUntil(end: number, now: number): number {
  return Math.max(1, Math.ceil((end - now) / 1000));
}

/** Counters of one minute live two minutes (a reconciliation after the minute still finds its counter). */
export const MINUTE_COUNTER_TTL_MS = 2 * MINUTE_MS;
/** Spend per period is kept about 13 months, for the admin API's history. */
export const SPEND_TTL_MS = 400 * DAY_MS;

export const counterNames = {
  keyRequests: (key: string, w: Window) => `rpm:key:${key}:${w.start}`,
  keyTokens: (key: string, w: Window) => `tpm:key:${key}:${w.start}`,
  sectionRequests: (section: string, w: Window) => `rpm:section:${section}:${w.start}`,
  sectionTokens: (section: string, w: Window) => `tpm:section:${section}:${w.start}`,
  spendPrefix: (key: string) => `spend:${key}:`,
  spend: (key: string, period: Window) => `spend:${key}:${new Date(period.start).toISOString().slice(0, 10)}`,
};
