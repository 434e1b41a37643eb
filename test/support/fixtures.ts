/**
 * The one emulator fixture for every test file: `emulator` starts on a free loopback port the first time a file's
 * test asks for it and stops after the file; `control` is its control-API client, and resets the emulator before
 * each test, so no test sees another's faults, scripts or recorded requests.
 *
 *   import { it } from "../support/fixtures.js";
 *   it("...", async ({ emulator, control }) => { await control.respond({ text: "hi" }); ... });
 *
 * A file that needs other emulator options overrides them for all its tests: `it.override("emulatorOptions", {...})`.
 */
import { test as base } from "vitest";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "../../src/emulator/index.js";
import { EmulatorControl } from "./control.js";

export {
  EmulatorControl,
  type FaultInput,
  type GuardrailInput,
  type PaceInput,
  type QuotaInput,
} from "./control.js";

export const test = base
  .extend("emulatorOptions", { scope: "file" }, {} as Omit<StartEmulatorOptions, "host" | "port">)
  .extend("emulator", { scope: "file" }, async ({ emulatorOptions }, { onCleanup }): Promise<RunningEmulator> => {
    const emulator = await startEmulator({ ...emulatorOptions, host: "127.0.0.1", port: 0 });
    onCleanup(() => emulator.close());
    return emulator;
  })
  // auto: every test of a file that uses this `test` starts from a reset emulator, whether or not it names `control`.
  .extend("control", { auto: true }, ({ emulator }) => {
    emulator.state.reset(); // in-process, so no round trip: what POST /_emulator/reset does
    return new EmulatorControl(emulator.url);
  });

export const it = test;
