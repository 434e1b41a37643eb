// Data flows one way: config -> models. The model registry and resolution import nothing from src/config.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const MODELS_DIR = resolve(import.meta.dirname, "../../src/models");

describe("src/models", () => {
  it.each(readdirSync(MODELS_DIR).filter((file) => file.endsWith(".ts")))(
    "%s imports nothing from src/config",
    (file) => {
      const text = readFileSync(join(MODELS_DIR, file), "utf8");
      const imports = [...text.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/g)].map(
        (match) => match[1] ?? match[2],
      );
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((path) => path?.includes("config/"))).toEqual([]);
    },
  );
});
