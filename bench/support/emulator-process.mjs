// The emulator of this checkout's dist/ in a process of its own, so that its CPU is not the benchmark's.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const emulatorModule = pathToFileURL(
  join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "emulator", "index.js"),
).href;

/**
 * Starts the emulator on a loopback port (`port`, default 0: a free one); resolves with its URL, pid and a stop
 * function.
 */
export function startEmulatorProcess({ port = 0 } = {}) {
  const code = `
    const { startEmulator } = await import(${JSON.stringify(emulatorModule)});
    const e = await startEmulator({ host: "127.0.0.1", port: ${Number(port)} });
    console.log(e.url);
    // Keep the request log from growing through thousands of calls.
    setInterval(() => { e.state.requests.length = 0; }, 1000).unref();`;
  const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout });
  return new Promise((resolve, reject) => {
    proc.once("exit", (c) => reject(new Error(`emulator exited with ${c}`)));
    lines.once("line", (url) => resolve({ url: url.trim(), pid: proc.pid, stop: () => proc.kill("SIGTERM") }));
  });
}
