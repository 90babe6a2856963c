// Statements per run of a worker draining N queued Run Now (default 500): pg_stat_statements calls,
// rows and WAL bytes per run, by statement, worker side only (reset after the enqueue).
//   TEST_DATABASE_URL=<a cluster with shared_preload_libraries=pg_stat_statements> N=500 \
//     node --import tsx bench/scheduler/statements-per-run.ts
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { parseConfig } from "../../server/src/config/config.ts";
import { enqueueRun } from "../../server/src/execution/index.ts";
import { openRuntime } from "../../server/src/runtime.ts";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";
import { NOOP_HANDLER, TEST_JOBS_ROOT } from "../../server/test/scheduler/scheduler-harness.ts";
const n = Number(process.env.N ?? 500);
const db = await createScratchDatabase("connecthub_bench");
const env = { DATABASE_URL: db.url, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "connecthub-bench-")), EXTENSION_ROOTS: TEST_JOBS_ROOT, LOG_DIR: "", LOG_LEVEL: "error", TIMEZONE: "UTC", WORKER_CONCURRENCY: "10" };
const runtime = await openRuntime(parseConfig({ PORT: "0", ...env }, process.cwd()));
await runtime.prisma.job.create({ data: { id: "bench.burst", handlerPath: NOOP_HANDLER, enabled: false, allowOverlap: true } });
for (let i = 0; i < n; i++) await enqueueRun(runtime, { kind: "job", jobId: "bench.burst", trigger: "MANUAL" });
import pg from "pg";
const admin = new pg.Client({ connectionString: db.url }); await admin.connect();
await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); await admin.query("SELECT pg_stat_statements_reset()");
const child = spawn(process.execPath, ["server/src/main.ts", "worker"], { env: { ...process.env, ...env, PORT: "0", HOST: "127.0.0.1" }, stdio: "inherit" });
while ((await runtime.prisma.jobLog.count({ where: { status: { in: ["SUCCESS", "FAILURE"] } } })) < n) await new Promise((r) => setTimeout(r, 500));
const span = await runtime.prisma.jobLog.aggregate({ _min: { startedAt: true }, _max: { finishedAt: true } });
console.log("drain runs/s", n / ((span._max.finishedAt!.getTime() - span._min.startedAt!.getTime()) / 1000));
const { rows } = await admin.query("SELECT calls, rows, wal_bytes, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS q FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 40");
for (const r of rows) console.log(`${(r.calls / n).toFixed(2)}/run rows ${(r.rows / n).toFixed(2)} wal ${(Number(r.wal_bytes) / n).toFixed(0)}B  ${r.q}`);
await admin.end();
child.kill("SIGTERM");
await new Promise((r) => child.on("exit", r));
await runtime.close();
await db.drop();
process.exit(0);
