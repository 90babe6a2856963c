import { defineConfig } from "vitest/config";

// Web unit tests: pure logic (catalogues, formatting, log buffering, bundle budget). Browser tests that
// need the real server live in the server project (server/test/admin/), where its global setup runs.
export default defineConfig({
  test: {
    name: "web",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/**/*.e2e.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
