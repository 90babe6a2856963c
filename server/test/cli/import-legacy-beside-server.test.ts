// import-legacy in embedded mode while `npm start` owns the embedded database: the CLI attaches to
// the running server's PostgreSQL instead of asking for a stop, and the server sees the imported
// jobs and runs at once.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { startApp } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { buildPostgresLegacy, pythonKey, pythonTokens } from "./legacy-database.ts";
import { ordinaryJobs, ordinaryLogs, SECRETS } from "./legacy-dataset.ts";
import { runCli, tempDataDir } from "./run-cli.ts";

const key = pythonKey();
const data = tempDataDir();
const keyDir = tempDataDir();
const keyFile = path.join(keyDir.dir, "fernet.key");
let legacy: Awaited<ReturnType<typeof createScratchDatabase>>;
let app: App | undefined;

beforeAll(async () => {
  writeFileSync(keyFile, key + "\n");
  legacy = await createScratchDatabase("legacy_src");
  await buildPostgresLegacy(legacy.url, "postgres-current", ordinaryJobs(pythonTokens(key, SECRETS), true), ordinaryLogs(pythonTokens(key, SECRETS), { queued: true, createdAt: false }));
  app = await startApp({ DATA_DIR: data.dir, ADMIN_PASSWORD: "beside-server-pass-1" }, "api");
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await legacy?.drop();
  data.cleanup();
  keyDir.cleanup();
});

describe("import-legacy beside a running embedded server", { timeout: 240_000 }, () => {
  it("imports through the running server's PostgreSQL, and the server sees the rows at once", async () => {
    expect(app!.runtime.config.DATABASE_URL).toBeUndefined();
    const result = await runCli(["import-legacy", "--from", legacy.url, "--key-file", keyFile], { DATA_DIR: data.dir });
    expect(result.stderr).not.toContain("in use by process");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Imported 7 job(s) and 54 job log(s)");
    expect(await app!.runtime.prisma.job.count()).toBe(7);
    expect(await app!.runtime.prisma.jobLog.count()).toBe(54);
  });
});
