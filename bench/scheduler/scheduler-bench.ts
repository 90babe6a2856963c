// npm run bench:scheduler [-- tick|lateness|throughput|observability|pickup]   (default: all)
// Needs PostgreSQL at TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test); the
// throughput part on mongodb also needs FerretDB (scripts/build-ferretdb.sh or FERRETDB_BIN).
// `observability` (also the first step of `throughput`): the Run Now path with metrics and audit
// off vs on, side by side; BENCH_OBS_RUNS (400 per block), BENCH_OBS_CLIENTS (4), BENCH_OBS_BLOCKS
// (16 per side), BENCH_OBS_ON (what the "on" side switches on: metrics,audit | metrics | audit | none).
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../server/src/config/config.ts";
import { enqueueRun } from "../../server/src/execution/index.ts";
import { RUNS_PER_QUEUE_JOB } from "../../server/src/runs/queue-jobs.ts";
import { openRuntime, type Runtime } from "../../server/src/runtime.ts";
import { Dispatcher } from "../../server/src/scheduler/dispatcher.ts";
import { sweepMisfires } from "../../server/src/scheduler/misfire-sweep.ts";
import { benchObservabilityCost, parseOnSwitches } from "./observability-cost.ts";
import { startFerretDb } from "../../server/test/harness/ferretdb.ts";
import { benchPickup } from "./pickup-bench.ts";
import { describeWrites, startWrites, walLsn, writesPerRun, type WriteSnapshot } from "./write-stats.ts";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";
import { NOOP_HANDLER, spawnWorker, TEST_JOBS_ROOT } from "../../server/test/scheduler/scheduler-harness.ts";

const which = process.argv[2] ?? "all";
const rows: string[][] = [];
/** Rows are printed as they are measured too, so a long run interrupted later keeps what it measured. */
function row(...cells: string[]): void {
  rows.push(cells);
  console.log(`| ${cells.join(" | ")} |`);
}
const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

function envFor(databaseUrl: string, mongoUrl?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ...(mongoUrl ? { MONGODB_URL: mongoUrl } : {}),
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "connecthub-bench-")),
    EXTENSION_ROOTS: TEST_JOBS_ROOT,
    LOG_DIR: "",
    LOG_LEVEL: "error",
    TIMEZONE: "UTC",
    ...extra,
  };
}

async function runtimeFor(env: Record<string, string>): Promise<Runtime> {
  return openRuntime(parseConfig({ PORT: "0", ...env }, process.cwd()));
}

async function seedMinutelyJobs(runtime: Runtime, n: number, created = new Date()): Promise<void> {
  for (let i = 0; i < n; i += 1000) {
    await runtime.prisma.job.createMany({
      data: Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
        id: `bench.job_${String(i + k).padStart(5, "0")}`,
        handlerPath: NOOP_HANDLER,
        cronExpr: "* * * * *",
        createdAt: created,
        updatedAt: created,
      })),
    });
  }
}

/** One planner pass that plans a minute boundary for every job (so it fires N slots ahead: N runs queued), and one misfire sweep. */
async function benchTick(): Promise<void> {
  for (const n of [100, 1000, 10_000]) {
    const db = await createScratchDatabase("connecthub_bench");
    const runtime = await runtimeFor(envFor(db.url));
    try {
      await seedMinutelyJobs(runtime, n);
      const dispatcher = new Dispatcher(runtime, { sweepEveryMs: Number.MAX_SAFE_INTEGER });
      const nextMinute = Math.ceil(Date.now() / 60_000) * 60_000;
      // A clock 10 s before the boundary: the boundary is inside the lookahead window. The jobs were
      // created just now, so the sweep measures the scan (nothing missed), not catch-up runs.
      const stats = await dispatcher.pass(new Date(nextMinute - 10_000));
      const sweepStart = performance.now();
      await sweepMisfires(runtime, new Date(nextMinute - 10_000));
      const sweepMs = performance.now() - sweepStart;
      row("tick", `${n} enabled every-minute jobs`, `plan pass ${stats!.ms.toFixed(0)} ms (${stats!.planned} slots fired ahead, in groups of ${RUNS_PER_QUEUE_JOB}: fire records + QUEUED runs in one transaction, one execute_runs queue job); misfire sweep ${sweepMs.toFixed(0)} ms`);
      await runtime.queue.agenda.cancel({ name: "connecthub.execute_runs" });
      await dispatcher.stop();
    } finally {
      await runtime.close();
      await db.drop();
    }
  }
}

/**
 * 1,000 every-minute no-op jobs (default settings: overlap off), 2 worker processes, ≥ 3 full
 * minutes. `concurrency` is each worker's WORKER_CONCURRENCY: at 500 the two workers can hold a
 * whole minute's runs at once, so what is measured is the scheduler; below that, the runs of a
 * minute also queue for run slots.
 */
async function benchLateness(concurrency: number, minutes = 3): Promise<void> {
  const db = await createScratchDatabase("connecthub_bench");
  const env = envFor(db.url, undefined, { WORKER_CONCURRENCY: String(concurrency) });
  const runtime = await runtimeFor(env);
  const workers = [spawnWorker(env), spawnWorker(env)];
  try {
    await seedMinutelyJobs(runtime, 1000);
    const firstSlot = Math.ceil((Date.now() + 30_000) / 60_000) * 60_000;
    const lastSlot = firstSlot + (minutes - 1) * 60_000;
    while (Date.now() < lastSlot + 45_000) await new Promise((r) => setTimeout(r, 5000));
    const logs = await runtime.prisma.jobLog.findMany({
      where: { scheduledAt: { gte: new Date(firstSlot), lte: new Date(lastSlot) } },
      select: { jobId: true, scheduledAt: true, result: true },
    });
    const seen = new Set<string>();
    let duplicates = 0;
    const lateness: number[] = [];
    for (const l of logs) {
      const key = `${l.jobId}@${l.scheduledAt!.getTime()}`;
      if (seen.has(key)) duplicates++;
      seen.add(key);
      const started = (l.result as { startedAtMs?: number } | null)?.startedAtMs;
      if (typeof started === "number") lateness.push(started - l.scheduledAt!.getTime());
    }
    const expected = 1000 * minutes;
    row(
      "lateness",
      `1,000 every-minute jobs, 2 workers (WORKER_CONCURRENCY=${concurrency}), ${minutes} min, postgres`,
      `slots ${expected}, ran ${lateness.length}, misses ${expected - seen.size}, duplicates ${duplicates}, p50 ${pct(lateness, 50)} ms, p99 ${pct(lateness, 99)} ms, max ${pct(lateness, 100)} ms`,
    );
  } finally {
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await runtime.close();
    await db.drop();
  }
}

/**
 * 5,000 Run Now on one worker vs 5,000 raw Agenda no-op jobs on the same backend. BENCH_RUNS lowers
 * the count (BENCH_MONGO_RUNS on mongodb: FerretDB's SQLite handler is slow enough that 5,000 take
 * many minutes); BENCH_BACKENDS picks backends (postgres,mongodb). On postgres each phase also
 * counts its writes per run (write-stats.ts): row inserts / updates / deletes per table and WAL
 * bytes. WAL is cluster-wide: point TEST_DATABASE_URL at a private cluster for clean numbers.
 */
async function benchThroughput(): Promise<void> {
  const backends = (process.env.BENCH_BACKENDS ?? "postgres,mongodb").split(",") as Array<"postgres" | "mongodb">;
  const ferret = backends.includes("mongodb") ? await startFerretDb() : null;
  try {
    for (const backend of backends) {
      const runs = Number(process.env.BENCH_RUNS ?? 5000);
      const n = backend === "mongodb" ? Number(process.env.BENCH_MONGO_RUNS ?? runs) : runs;
      // Writes are counted on postgres only (the queue's own writes are in the same database there).
      const measure = backend === "postgres";
      const writes: Array<[string, string]> = [];
      const begin = async () => (measure ? startWrites(db.url) : null);
      const end = async (what: string, start: WriteSnapshot | null) => {
        if (!start) return;
        const endLsn = await walLsn(db.url);
        writes.push([what, describeWrites(await writesPerRun(db.url, start, endLsn, n))]);
      };
      const db = await createScratchDatabase("connecthub_bench");
      const mongo = backend === "mongodb" ? `${ferret!.url}/bench_${randomBytes(3).toString("hex")}` : undefined;
      const env = envFor(db.url, mongo, { WORKER_CONCURRENCY: "10" });
      const runtime = await runtimeFor(env);
      try {
        await runtime.prisma.job.create({ data: { id: "bench.burst", handlerPath: NOOP_HANDLER, enabled: false, allowOverlap: true } });
        // BENCH_PHASES=running,drain (default both): run only some of the phases, to iterate faster.
        const phases = (process.env.BENCH_PHASES ?? "running,drain").split(",");
        const { agenda } = runtime.queue;
        let phase: WriteSnapshot | null;
        let t0: number;
        if (phases.includes("running")) {
          phase = await begin();
          // Raw Agenda: the queue alone, same store, same concurrency.
          let done = 0;
          const rawDone = new Promise<void>((resolve) => agenda.define("bench.raw_noop", async () => void (++done === n && resolve()), { concurrency: 10 }));
          await agenda.start();
          t0 = performance.now();
          for (let i = 0; i < n; i++) await agenda.now("bench.raw_noop", { i });
          await rawDone;
          const rawPerSec = n / ((performance.now() - t0) / 1000);
          await end("raw Agenda 6, enqueued while running", phase);
          // The Run Now part starts from an empty queue too (finished raw jobs would slow every lock query).
          await agenda.cancel({ name: "bench.raw_noop" });
          // Left running (nothing else is defined here): a stopped Agenda publishes no notifications,
          // and the worker process should hear of the Run Now saves below as it would from an `all` process.

          phase = await begin();
          const worker = spawnWorker(env);
          t0 = performance.now();
          for (let i = 0; i < n; i++) await enqueueRun(runtime, { kind: "job", jobId: "bench.burst", trigger: "MANUAL" });
          while ((await runtime.prisma.jobLog.count({ where: { status: { in: ["SUCCESS", "FAILURE"] } } })) < n) await new Promise((r) => setTimeout(r, 500));
          const runsPerSec = n / ((performance.now() - t0) / 1000);
          await end("ConnectHub Run Now, enqueued while running", phase);
          await worker.kill("SIGTERM");
          row("throughput", `${n} Run Now, 1 worker, ${backend}: enqueued one after another while the worker runs them`, `${runsPerSec.toFixed(0)} runs/s vs raw Agenda ${rawPerSec.toFixed(0)} jobs/s: ratio ${(runsPerSec / rawPerSec).toFixed(2)}`);
        }
        if (phases.includes("drain")) {
          if (!phases.includes("running")) await agenda.start();

          // The same burst already queued when the worker starts: how fast one worker executes it
          // (first start to last end), the enqueue side left out, against raw Agenda draining as many.
          await agenda.cancel({ name: "connecthub.execute_job" });
          await runtime.prisma.jobLog.deleteMany({});
          phase = await begin();
          for (let i = 0; i < n; i++) await agenda.now("bench.raw_drain", { i });
          let first = 0;
          let drained = 0;
          // Defined only now: until then the queue holds these jobs without running them.
          await new Promise<void>((resolve) =>
            agenda.define(
              "bench.raw_drain",
              async () => {
                first ||= Date.now();
                if (++drained === n) resolve();
              },
              { concurrency: 10 },
            ),
          );
          const rawDrainPerSec = n / ((Date.now() - first) / 1000);
          await end("raw Agenda 6, queued then drained", phase);
          await agenda.cancel({ name: "bench.raw_drain" });
          phase = await begin();
          for (let i = 0; i < n; i++) await enqueueRun(runtime, { kind: "job", jobId: "bench.burst", trigger: "MANUAL" });
          const drainer = spawnWorker(env);
          while ((await runtime.prisma.jobLog.count({ where: { status: { in: ["SUCCESS", "FAILURE"] } } })) < n) await new Promise((r) => setTimeout(r, 500));
          await end("ConnectHub Run Now, queued then drained", phase);
          await drainer.kill("SIGTERM");
          const span = await runtime.prisma.jobLog.aggregate({ _min: { startedAt: true }, _max: { finishedAt: true } });
          const drainPerSec = n / ((span._max.finishedAt!.getTime() - span._min.startedAt!.getTime()) / 1000);
          row(
            "throughput",
            `${n} Run Now, 1 worker, ${backend}: queued before the worker starts (first start to last end)`,
            `${drainPerSec.toFixed(0)} runs/s vs raw Agenda ${rawDrainPerSec.toFixed(0)} jobs/s: ratio ${(drainPerSec / rawDrainPerSec).toFixed(2)}`,
          );
        }
        for (const [what, result] of writes) row("writes per run", `${n} runs, 1 worker, ${backend}: ${what}`, result);
      } finally {
        await runtime.close().catch(() => undefined);
        await db.drop();
      }
    }
  } finally {
    await ferret?.stop();
  }
}

/**
 * Pickup through runNow over HTTP (api and worker processes) beside raw Agenda 6 on the same store,
 * on each backend. BENCH_PICKUP_RUNS runs each (default 200); BENCH_PICKUP_BACKENDS picks backends.
 */
async function benchPickupBoth(): Promise<void> {
  const runs = Number(process.env.BENCH_PICKUP_RUNS ?? 200);
  const backends = (process.env.BENCH_PICKUP_BACKENDS ?? "postgres,mongodb").split(",") as Array<"postgres" | "mongodb">;
  const ferret = backends.includes("mongodb") ? await startFerretDb() : null;
  try {
    for (const backend of backends) {
      const db = await createScratchDatabase("connecthub_bench");
      const mongo = backend === "mongodb" ? `${ferret!.url}/bench_${randomBytes(3).toString("hex")}` : undefined;
      const env = envFor(db.url, mongo, { WORKER_CONCURRENCY: "10" });
      const runtime = await runtimeFor(env);
      try {
        const { connecthub, raw } = await benchPickup(runtime, env, backend, runs);
        const fmt = (xs: number[]) => `p50 ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms, max ${pct(xs, 100)} ms`;
        row("pickup", `${runs} runNow over HTTP, api + worker processes, idle worker (WORKER_CONCURRENCY=10), ${backend}`, `ConnectHub ${fmt(connecthub)}; raw Agenda 6 (now() in a producer process → handler in a worker process) ${fmt(raw)}`);
      } finally {
        await runtime.close().catch(() => undefined);
        await db.drop();
      }
    }
  } finally {
    await ferret?.stop();
  }
}

if (which === "all" || which === "tick") await benchTick();
if (which === "all" || which === "lateness") {
  // BENCH_LATENESS_CONCURRENCY (each worker's WORKER_CONCURRENCY, a list; default 500,50; 10 is the
  // default setting) and BENCH_LATENESS_MINUTES (default 3).
  const minutes = Number(process.env.BENCH_LATENESS_MINUTES ?? 3);
  for (const c of (process.env.BENCH_LATENESS_CONCURRENCY ?? "500,50").split(",")) await benchLateness(Number(c), minutes);
}
// BENCH_SKIP_OBS=1: `throughput` without its observability step.
// BENCH_PHASES=running,drain: `throughput` with only some of its phases (default both).
if (which === "all" || which === "observability" || (which === "throughput" && process.env.BENCH_SKIP_OBS !== "1")) {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  await benchObservabilityCost({ runs: env("BENCH_OBS_RUNS", 400), clients: env("BENCH_OBS_CLIENTS", 4), blocks: env("BENCH_OBS_BLOCKS", 16), warmup: 20, on: parseOnSwitches(process.env.BENCH_OBS_ON) }, row);
}
if (which === "all" || which === "throughput") await benchThroughput();
if (which === "all" || which === "pickup") await benchPickupBoth();
console.log("\n| part | setup | result |\n|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(0);
