/**
 * Every test file: vi.waitFor's default of 1 s is a timing assumption, not a property. A loaded 2-core CI machine
 * (three Node versions in a row, emulators and CLI processes in parallel) can take longer than that for an event
 * that does come; a wait that is not met within 10 s still fails. Tests that pass their own timeout keep it.
 */
import { vi } from "vitest";

const waitFor = vi.waitFor;
vi.waitFor = ((callback, options) =>
  waitFor(callback, typeof options === "number" ? options : { timeout: 10_000, ...options })) as typeof vi.waitFor;
