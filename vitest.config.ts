import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Two projects: the server (Node, real services started by the global setup) and the web admin
// (its own config: Solid's JSX transform, browser tests against a real Chromium).
export default defineConfig({
  test: {
    // Three test files at once on the 2-core machines: most server tests wait on child processes,
    // databases and sockets rather than the CPU (measured: 74 server files in 10 min at 3 workers
    // beside another full run, where 2 workers took more than twice as long).
    maxWorkers: 3,
    projects: [
      {
        resolve: {
          // graphql ships index.js (what Node, and so Pothos and Yoga, load) and index.mjs (what
          // Vite would pick). Two copies break its instanceof checks ("from another module or
          // realm"): make tests load the one Node loads.
          alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
        },
        test: {
          name: "server",
          // Quiet stdout; runs still capture their info lines (see server/src/logging/logger.ts).
          env: { LOG_LEVEL: "warn" },
          include: ["server/src/**/*.test.ts", "server/test/**/*.test.ts", "extensions/**/*.test.ts"],
          globalSetup: ["server/test/harness/global-setup.ts"],
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(existsSync("web/vitest.config.ts") ? ["web/vitest.config.ts"] : []),
    ],
  },
});
