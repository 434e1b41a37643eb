import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start emulators on port 0 and spawn CLI processes; two cores are all there is.
    pool: "forks",
  },
});
