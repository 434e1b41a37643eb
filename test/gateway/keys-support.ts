// Shared by the virtual-key tests: keys and their hashes, a temporary store file, and requests in each door's shape.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const sha256 = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

export const ADMIN_KEY = "sk-admin-test-0123456789abcdef";
export const ALICE = "sk-alice-test-0123456789abcdef";
export const BOB = "sk-bob-test-0123456789abcdef";

/** A folder for store files, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "bllm-store-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function chat(url: string, key: string, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "default", messages: [{ role: "user", content: "Hello there" }], ...body }),
  });
}

export function messages(url: string, key: string, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key, "anthropic-version": "2023-06-01" },
    body: JSON.stringify({
      model: "default",
      max_tokens: 64,
      messages: [{ role: "user", content: "Hello there" }],
      ...body,
    }),
  });
}

export async function admin(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** A clock in the middle of the current minute, so that no test's requests straddle two rate windows. */
export function midMinuteClock(): () => number {
  const start = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const startedAt = Date.now();
  return () => start + Math.min(Date.now() - startedAt, 20_000);
}

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
export async function json(res: Response): Promise<any> {
  return res.json();
}

/** GET /admin/keys/{name}/usage. */
// biome-ignore lint/suspicious/noExplicitAny: tests read loosely-typed JSON bodies.
export async function usageOf(url: string, name: string): Promise<any> {
  return json(await admin(url, "GET", `/keys/${name}/usage`));
}
