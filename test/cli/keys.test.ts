// `bedrock-llm keys` against a running gateway's admin API: create (the key printed once), list, usage, revoke,
// and the errors a user meets (no admin key, a wrong one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../gateway/harness.js";
import { ADMIN_KEY, chat, sha256, tempDir } from "../gateway/keys-support.js";
import { runCli } from "./run-cli.js";

let h: Harness;
let folder: ReturnType<typeof tempDir>;

beforeAll(async () => {
  folder = tempDir();
  h = await startHarness({ admin_key_sha256: sha256(ADMIN_KEY), store: { path: `${folder.dir}/gateway.sqlite` } });
});
afterAll(async () => {
  await h?.close();
  folder?.remove();
});

const keys = (args: string[], env: Record<string, string> = { BEDROCK_LLM_ADMIN_KEY: ADMIN_KEY }) =>
  runCli(["keys", ...args, "--url", h.gateway.url], { env });

describe("bedrock-llm keys", () => {
  it("creates a key printed once, lists it, shows its usage and revokes it", async () => {
    const created = await keys([
      "create",
      "search-team",
      "--models",
      "default,haiku",
      "--rpm",
      "60",
      "--budget",
      "25",
      "--period",
      "week",
      "--meta",
      "team=search",
      "--meta",
      "owner=jane@example.com",
    ]);
    expect(created.stderr).toContain('Created key "search-team". It is shown only this once');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sk-bllm-[\w-]+$/);
    expect((await chat(h.gateway.url, key)).status).toBe(200);

    const listed = await keys(["list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+SOURCE\s+MODELS\s+RPM\s+TPM\s+BUDGET USD\s+EXPIRES\s+METADATA$/m);
    expect(listed.stdout).toMatch(
      /^search-team\s+api\s+default,haiku\s+60\s+-\s+25\/week\s+-\s+team=search owner=jane@example.com$/m,
    );
    expect(listed.stdout).not.toContain(key);

    const usage = await keys(["usage", "search-team", "--json"]);
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      name: "search-team",
      rpm: { limit: 60 },
      budget: { period: "week" },
    });
    const text = await keys(["usage", "search-team"]);
    expect(text.stdout).toContain("this week");

    const revoked = await keys(["revoke", "search-team"]);
    expect(revoked.stdout).toContain('Revoked key "search-team".');
    expect((await chat(h.gateway.url, key)).status).toBe(401);
    const again = await keys(["revoke", "search-team"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the gateway answered 404: No key named "search-team".');
  });

  it("says what is missing: the admin key, or the right one", async () => {
    const none = await keys(["list"], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no admin key: set BEDROCK_LLM_ADMIN_KEY");
    const wrong = await keys(["list"], { BEDROCK_LLM_ADMIN_KEY: "sk-not-the-admin-key" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("the gateway answered 401");
    expect(wrong.stderr).not.toContain("sk-not-the-admin-key");
  });
});
