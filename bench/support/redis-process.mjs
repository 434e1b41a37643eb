// A redis-server of its own for a benchmark: a free loopback port, no persistence; resolves once it accepts
// connections.
import { spawn } from "node:child_process";
import { createServer } from "node:net";

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis() {
  const port = await freePort();
  const proc = spawn("redis-server", [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ]);
  await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Ready to accept connections")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
    proc.once("error", reject);
  });
  return { url: `redis://127.0.0.1:${port}`, pid: proc.pid, stop: () => proc.kill("SIGTERM") };
}
