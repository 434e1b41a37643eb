// The package as npm users get it: `npm pack` in a copy of the checkout (prepack builds dist/ there), the tarball
// installed into an empty project with no network (npm ci --offline from the npm cache that the repository's own
// `npm ci` filled, the registry pointed at a closed loopback port), then the installed command, a strict TypeScript
// ESM consumer and CommonJS consumers run against the package's own emulator.
import { execFile, execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const TIMEOUT = 240_000;

const work = mkdtempSync(join(tmpdir(), "bedrock-llm-pack-"));
const checkout = join(work, "checkout");
const unpacked = join(work, "unpacked", "package");
const consumer = join(work, "consumer");

/**
 * No AWS settings from the developer's shell, none of the settings `npm test` passes to its scripts (they name this
 * repository) but the cache's place; npm offline, and any registry request would hit a closed port.
 */
function env(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const npm = k.startsWith("npm_") && k !== "npm_config_cache";
    if (!k.startsWith("AWS_") && !k.startsWith("BEDROCK_LLM_") && !npm) clean[k] = v;
  }
  return {
    ...clean,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NO_COLOR: "1",
    npm_config_offline: "true",
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}

const run = (file: string, args: string[], cwd: string) =>
  exec(file, args, { cwd, env: env(), maxBuffer: 16 * 1024 * 1024 });

/** The files a fresh clone would have: tracked, plus new files not ignored (so uncommitted work is packed too). */
function copyCheckout(): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && f !== "node_modules" && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    cpSync(join(ROOT, file), join(checkout, file));
  }
  symlinkSync(realpathSync(join(ROOT, "node_modules")), join(checkout, "node_modules"));
}

/**
 * A lockfile for the consumer: the package from the tarball, and its dependencies at exactly the versions (and
 * integrity) of the repository's lockfile, which is what `npm ci` put in the cache. `npm install --offline` alone
 * cannot work: it needs the registry's version lists, which `npm ci` never downloads.
 */
function consumerLockfile(tarball: string, pkg: { version: string; dependencies: Record<string, string> }) {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; version?: string; resolved?: string }>;
  };
  const spec = `file:${relative(consumer, tarball)}`;
  const packages: Record<string, unknown> = {
    "": { name: "consumer", dependencies: { "bedrock-llm": spec } },
    "node_modules/bedrock-llm": {
      version: pkg.version,
      resolved: spec,
      dependencies: pkg.dependencies,
      bin: { "bedrock-llm": "dist/cli/index.js" },
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "" || entry.dev) continue;
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    const file = `${name.split("/").pop()}-${entry.version}.tgz`;
    packages[path] = { ...entry, resolved: entry.resolved ?? `https://registry.npmjs.org/${name}/-/${file}` };
  }
  return { name: "consumer", lockfileVersion: 3, requires: true, packages };
}

/** One program, written for each kind of consumer: start the package's emulator, load a TOML file, one completion. */
function consumerProgram(kind: string): string {
  return `import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BedrockLLMError, LLM, loadConfig } from "bedrock-llm";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, startEmulator } from "bedrock-llm/emulator";

async function main(): Promise<void> {
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  try {
    const file = join(mkdtempSync(join(tmpdir(), "consumer-")), "config.toml");
    const toml = [
      "[llm]",
      'model = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"',
      'cross_region_target = "us"',
      'aws_region_name = "us-east-1"',
      \`aws_access_key_id = "\${BUILTIN_ACCESS_KEY_ID}"\`,
      \`aws_secret_access_key = "\${BUILTIN_SECRET_ACCESS_KEY}"\`,
      \`aws_bedrock_runtime_endpoint = "\${emulator.url}"\`,
    ];
    writeFileSync(file, toml.join("\\n"));
    const llm = new LLM((await loadConfig(file)).llm);
    const res = await llm.completion({ messages: [{ role: "user", content: "Hello from ${kind}" }] });
    const reply: string | null | undefined = res.choices[0]?.message.content;
    console.log(\`${kind} reply: \${reply}\`);
    console.log(\`${kind} errors: \${new BedrockLLMError("x") instanceof Error}\`);
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

/**
 * One strict project (stricter than the package's own settings; the package's declarations are checked too) for
 * both consumers: with module "nodenext" each file's format follows its folder's package.json, so esm/main.ts
 * compiles to an ES module and cjs/main.ts to CommonJS, each emitted next to its source.
 */
const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    skipLibCheck: false,
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules/@types")],
  },
  include: ["esm/main.ts", "cjs/main.ts"],
};

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), base) : [relative(base, join(dir, e.name))],
  );
}

let shipped: string[] = [];
let compiled: Promise<unknown> | undefined;
/** Compiles both consumers once; the tests that run them wait for it (and fail with its error if it failed). */
const compileConsumers = () => {
  compiled ??= run(process.execPath, [TSC, "-p", consumer], consumer);
  return compiled;
};

beforeAll(async () => {
  copyCheckout();
  // `npm pack` runs prepack, which builds dist/ in the copy (there is none in a fresh clone).
  expect(existsSync(join(checkout, "dist"))).toBe(false);
  const packs = join(work, "packs");
  mkdirSync(packs);
  await run("npm", ["pack", "--pack-destination", packs], checkout);
  const [tgz] = readdirSync(packs).filter((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error("npm pack wrote no tarball");
  const tarball = join(packs, tgz);

  mkdirSync(dirname(unpacked), { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", dirname(unpacked)]);
  shipped = listFiles(unpacked);

  mkdirSync(consumer);
  const pkg = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8"));
  const spec = `file:${relative(consumer, tarball)}`;
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { "bedrock-llm": spec } }),
  );
  writeFileSync(join(consumer, "package-lock.json"), JSON.stringify(consumerLockfile(tarball, pkg)));
  // No install scripts: a dependency's native build (better-sqlite3) would reach for the network; nothing here
  // opens a SQLite store.
  await run("npm", ["ci", "--offline", "--ignore-scripts"], consumer);

  // The consumer's own code: TypeScript as an ES module, and a CommonJS corner (what `npm init -y` writes) with
  // the same TypeScript and a program that require()s the package.
  writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(TSCONFIG));
  mkdirSync(join(consumer, "esm"));
  writeFileSync(join(consumer, "esm/main.ts"), consumerProgram("ESM"));
  mkdirSync(join(consumer, "cjs"));
  writeFileSync(join(consumer, "cjs/package.json"), JSON.stringify({ type: "commonjs" }));
  writeFileSync(join(consumer, "cjs/main.ts"), consumerProgram("CJS"));
  writeFileSync(
    join(consumer, "cjs/plain.js"),
    `const { LLM, loadConfig } = require("bedrock-llm");
const { startEmulator } = require("bedrock-llm/emulator");
console.log(typeof LLM, typeof loadConfig, typeof startEmulator);
`,
  );
}, TIMEOUT);

afterAll(() => rmSync(work, { recursive: true, force: true }), TIMEOUT);

describe("the published package", () => {
  it("ships the built library, its sources, docs, examples and the MIT licence, and no tests", () => {
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/emulator/index.js",
      "dist/emulator/index.d.ts",
      "dist/cli/index.js",
      "src/index.ts",
      "docs/CONFIGURATION.md",
      "examples/bedrock_config.toml",
    ]) {
      expect(shipped, file).toContain(file);
    }
    expect(shipped.filter((f) => f.startsWith("test/") || f.startsWith("bench/") || f.startsWith(".ci/"))).toEqual([]);
    expect(readFileSync(join(unpacked, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    const pkg = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8"));
    expect(pkg.license).toBe("MIT");
    expect(pkg.engines.node).toBe(">=20");
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
  });

  it("ships every file its source maps point at", () => {
    const maps = shipped.filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(10);
    const missing = maps.flatMap((map) => {
      const { sources, sourceRoot = "" } = JSON.parse(readFileSync(join(unpacked, map), "utf8")) as {
        sources: string[];
        sourceRoot?: string;
      };
      return sources
        .map((s) => relative(unpacked, resolve(unpacked, dirname(map), sourceRoot, s)))
        .filter((s) => !shipped.includes(s))
        .map((s) => `${map} -> ${s}`);
    });
    expect(missing).toEqual([]);
  });

  it("resolves every relative link of the README and the docs inside the package", () => {
    const pages = shipped.filter((f) => f.endsWith(".md"));
    const dead = pages.flatMap((page) => {
      const text = readFileSync(join(unpacked, page), "utf8");
      return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => (m[1] ?? "").split("#")[0] ?? "")
        .filter((target) => target && !/^[a-z]+:/i.test(target))
        .filter((target) => !existsSync(resolve(unpacked, dirname(page), target)))
        .map((target) => `${page} -> ${target}`);
    });
    expect(dead).toEqual([]);
  });

  it(
    "runs `npx bedrock-llm demo` from the installed package",
    async () => {
      const { stdout } = await run("npx", ["bedrock-llm", "demo"], consumer);
      expect(stdout).toMatch(/tokens from cache [1-9]\d*/);
      expect(stdout).toContain("finish_reason content_filter");
    },
    TIMEOUT,
  );

  it(
    "type-checks strict TypeScript consumers, as an ES module and as CommonJS",
    async () => {
      await compileConsumers();
      expect(readFileSync(join(consumer, "esm/main.js"), "utf8")).toContain('from "bedrock-llm"');
      expect(readFileSync(join(consumer, "cjs/main.js"), "utf8")).toContain('require("bedrock-llm")');
    },
    TIMEOUT,
  );

  it(
    "runs the ES module consumer",
    async () => {
      await compileConsumers();
      const { stdout } = await run(process.execPath, ["esm/main.js"], consumer);
      expect(stdout).toMatch(/ESM reply: .*Hello from ESM/);
      expect(stdout).toContain("ESM errors: true");
    },
    TIMEOUT,
  );

  it(
    "runs the CommonJS consumers: TypeScript compiled to CommonJS, and plain require()",
    async () => {
      await compileConsumers();
      const compiledCjs = await run(process.execPath, ["cjs/main.js"], consumer);
      expect(compiledCjs.stdout).toMatch(/CJS reply: .*Hello from CJS/);
      expect(compiledCjs.stdout).toContain("CJS errors: true");
      const plain = await run(process.execPath, ["cjs/plain.js"], consumer);
      expect(plain.stdout.trim()).toBe("function function function");
      expect(plain.stderr).not.toMatch(/ExperimentalWarning/);
    },
    TIMEOUT,
  );

  it("fails with Node's ES-module sentence where require() of ES modules is off (Node 20 before 20.19)", async () => {
    const error = await run(process.execPath, ["--no-experimental-require-module", "cjs/plain.js"], consumer).then(
      () => undefined,
      (e: { stderr: string }) => e,
    );
    expect(error?.stderr).toContain("ERR_REQUIRE_ESM");
    expect(error?.stderr).toMatch(/require\(\) of ES Module .*bedrock-llm.* not supported/);
  });
});
