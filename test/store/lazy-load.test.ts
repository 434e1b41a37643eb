// The store's native module and the Redis client are loaded only when a gateway opens a store: library users, and
// a gateway without keys, limits or a store URL, never load better-sqlite3 or redis.
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const DIST = join(resolve(import.meta.dirname, "../.."), "dist/index.js");

/** Runs `body` after importing the built library as `lib`; prints which store modules Node's CJS loader holds. */
async function loadedAfter(body: string): Promise<{ sqlite: boolean; redis: boolean }> {
  const script = `
    const lib = await import(${JSON.stringify(DIST)});
    ${body}
    const { createRequire } = await import("node:module");
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      sqlite: cache.some((p) => p.includes("/better-sqlite3/")),
      redis: cache.some((p) => /\\/node_modules\\/(redis|@redis)\\//.test(p)),
    }));
    process.exit(0);`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string);
}

const CONFIG = `lib.configFromObject({ llm: { model: "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
  aws_region_name: "us-east-1", cross_region_target: "us", aws_access_key_id: "AKIAIOSFODNN7EXAMPLE",
  aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, server: SERVER }, { env: {} })`;

describe("lazy loading of the stores", () => {
  it("the library and a gateway without keys load neither better-sqlite3 nor redis", async () => {
    const loaded = await loadedAfter(`
      const SERVER = {};
      const g = await lib.startGateway(${CONFIG}, { host: "127.0.0.1", port: 0, accessLog: false });
      await g.close();`);
    expect(loaded).toEqual({ sqlite: false, redis: false });
  });

  it("a gateway with virtual keys loads better-sqlite3 (its embedded store), not redis", async () => {
    const loaded = await loadedAfter(`
      const { mkdtempSync, rmSync } = await import("node:fs");
      const { tmpdir } = await import("node:os");
      const dir = mkdtempSync(tmpdir() + "/bllm-lazy-");
      const SERVER = { keys: { a: { key_sha256: "${"a".repeat(64)}" } }, store: { path: dir + "/g.sqlite" } };
      const g = await lib.startGateway(${CONFIG}, { host: "127.0.0.1", port: 0, accessLog: false });
      await g.close();
      rmSync(dir, { recursive: true, force: true });`);
    expect(loaded).toEqual({ sqlite: true, redis: false });
  });
});
