import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { startApp, tempDataDir } from "../harness/app.ts";

/** What an earlier ConnectHub left in $DATA_DIR/pgdata: a migrated PGlite database with a job and runs. */
async function makePgliteDataDir(dataDir: string): Promise<void> {
  const db = await PGlite.create({ dataDir: path.join(dataDir, "pgdata") });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  try {
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO jobs (id, cron_expr, handler_path, public_cfg, updated_at)
         VALUES ('legacy.kept', '*/5 * * * *', 'extensions.example.job:ExampleJob', '{"name":"kept"}', now())`,
      );
      await client.query(
        `INSERT INTO job_logs (id, job_id, status, trigger, snapshot_params, message, run_log, started_at, finished_at)
         VALUES (7, 'legacy.kept', 'SUCCESS', 'CRON', '{"name":"kept"}', 'done', 'Hello, kept!', now() - interval '1 minute', now()),
                (8, 'legacy.kept', 'RUNNING', 'MANUAL', '{"name":"kept"}', NULL, '', now(), NULL)`,
      );
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
    await db.close();
  }
}

describe("moving an earlier version's PGlite data directory", () => {
  const data = tempDataDir();
  afterAll(() => data.cleanup());

  it("carries its job and runs into the embedded PostgreSQL once, then sets the old directory aside", async () => {
    await makePgliteDataDir(data.dir);
    // The api role: no planner, so the carried job (every 5 minutes) cannot fire a run meanwhile.
    const first = await startApp({ DATA_DIR: data.dir, LOG_LEVEL: "silent" }, "api");
    try {
      const job = await first.runtime.prisma.job.findUnique({ where: { id: "legacy.kept" } });
      expect(job).toMatchObject({ cronExpr: "*/5 * * * *", publicCfg: { name: "kept" } });
      const logs = await first.runtime.prisma.jobLog.findMany({ where: { jobId: "legacy.kept" }, orderBy: { id: "asc" } });
      expect(logs.map((l) => [l.id, l.status, l.runLog])).toEqual([
        [7, "SUCCESS", "Hello, kept!"],
        [8, "ABANDONED", ""],
      ]);
      expect(logs[1]!.message).toMatch(/moved from PGlite/);
      // Ids continue after the carried rows.
      const next = await first.runtime.prisma.jobLog.create({ data: { jobId: "legacy.kept", trigger: "MANUAL", snapshotParams: {} } });
      expect(next.id).toBeGreaterThan(8);
    } finally {
      await first.stop();
    }
    expect(existsSync(path.join(data.dir, "pgdata"))).toBe(false);
    expect(readdirSync(data.dir).filter((f) => f.startsWith("pgdata.moved-"))).toHaveLength(1);

    // Started again: nothing is carried twice.
    const second = await startApp({ DATA_DIR: data.dir, LOG_LEVEL: "silent" }, "api");
    try {
      expect(await second.runtime.prisma.jobLog.count({ where: { jobId: "legacy.kept" } })).toBe(3);
    } finally {
      await second.stop();
    }
  }, 300_000);
});
