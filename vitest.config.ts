import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI and example tests run dist/: rebuild it first when src/ has changed since.
    globalSetup: ["test/support/global-build.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start emulators on port 0 and spawn CLI processes; two cores are all there is.
    pool: "forks",
    // The AWS SDK's 8-line warning on Node < 22 about its releases after January 2027 (see the README's Node.js
    // section) would print in every test process that creates a client; it says nothing about the code under test.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
