import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "../../src/db/prisma.ts";
import { createPresence } from "../../src/workers/index.ts";
import { freePort } from "../harness/pg-cluster.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { startWorkerProcess } from "../graphql/worker-process.ts";
import { enqueueRun } from "../../src/execution/index.ts";
import { eventually, TEST_JOBS_ROOT } from "../harness/processes.ts";

// Worker presence: a real `worker` process shows on the dashboard while it lives, idle or not, and
// leaves at a graceful stop; a row whose heartbeat is older than three of its intervals is not
// counted and is deleted by a live worker's beat. The API process (role api) runs no worker itself.

let f: ApiFixture;

const WORKERS = `{ dashboard { workersAlive workers { workerId host pid role runSlots runsInFlight runningRuns heartbeatSeconds startedAt lastHeartbeatAt stoppingSince } } }`;
type Worker = { workerId: string; host: string; pid: number; role: string; runSlots: number; runsInFlight: number; heartbeatSeconds: number; lastHeartbeatAt: string; stoppingSince: string | null };

async function dashboard(): Promise<{ workersAlive: number; workers: Worker[] }> {
  const res = await postGraphql(f.baseUrl, WORKERS, {}, bearer(f.tokens.VIEWER));
  if (res.json.errors) throw new Error(JSON.stringify(res.json.errors));
  return res.json.data.dashboard;
}

/** A row as a worker that died would leave it: last beat `agoSeconds` ago. */
async function insertRow(workerId: string, agoSeconds: number, heartbeatSeconds: number): Promise<void> {
  await f.app.runtime.prisma.$executeRaw`
    INSERT INTO worker_presence (worker_id, host, pid, role, started_at, last_heartbeat_at, heartbeat_seconds, run_slots, runs_in_flight)
    VALUES (${workerId}, 'gone-host', 4242, 'worker', now() - interval '1 day', now() - ${agoSeconds}::int * interval '1 second', ${heartbeatSeconds}, 4, 2)`;
}

const rowOf = (workerId: string) => f.app.runtime.prisma.workerPresence.findUnique({ where: { workerId } });

beforeAll(async () => {
  f = await startApiFixture({}, "api");
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe("worker presence", () => {
  it("an api process alone has no worker alive", async () => {
    expect(await dashboard()).toEqual({ workersAlive: 0, workers: [] });
  });

  it("a real worker process appears while idle, beats, and disappears after a graceful stop", async () => {
    const worker = startWorkerProcess(f.databaseUrl, path.join(f.dataDir, "fernet.key"), { HEARTBEAT_SECONDS: "1", WORKER_CONCURRENCY: "3", SHUTDOWN_GRACE_SECONDS: "2", EXTENSION_ROOTS: TEST_JOBS_ROOT });
    try {
      const seen = await eventually("the worker's presence on the dashboard", async () => (await dashboard()).workers[0], 60_000);
      expect(seen).toMatchObject({ pid: worker.child.pid, role: "worker", runSlots: 3, runsInFlight: 0, runningRuns: 0, heartbeatSeconds: 1, stoppingSince: null });
      expect(seen.workerId).toBe(`${seen.host}:${worker.child.pid}`);
      expect((await dashboard()).workersAlive).toBe(1);
      // It keeps beating: a later read shows a later heartbeat.
      await eventually("a later heartbeat", async () => new Date((await dashboard()).workers[0]?.lastHeartbeatAt ?? 0) > new Date(seen.lastHeartbeatAt), 30_000);
      // A run in flight shows at its next beat (and at once from the runs themselves).
      await f.app.runtime.prisma.job.create({ data: { id: "presence.sleep", handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 120_000 }, cronExpr: "0 3 1 1 *", enabled: false } });
      const run = await enqueueRun(f.app.runtime, { kind: "job", jobId: "presence.sleep", trigger: "MANUAL" });
      await eventually("the run in flight at a beat", async () => (await dashboard()).workers[0]?.runsInFlight === 1, 30_000);
      expect((await dashboard()).workers[0]).toMatchObject({ runningRuns: 1, stoppingSince: null });
      // SIGTERM: the row says "stopping" while the run has its grace, and is gone once the process exited.
      worker.child.kill("SIGTERM");
      await eventually("the stopping mark", async () => (await dashboard()).workers[0]?.stoppingSince, 30_000);
      await worker.stop();
      expect((await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("CANCELLED");
      expect(worker.child.exitCode).toBe(0);
      expect(await rowOf(seen.workerId)).toBeNull();
      expect(await dashboard()).toEqual({ workersAlive: 0, workers: [] });
      expect(worker.stderr()).not.toMatch(/presence .*failed/);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it("does not count a worker silent for three of its intervals, and a live worker's beat deletes its row", async () => {
    // Timers injected: the test beats by hand instead of waiting for an interval.
    const intervals: Array<() => void> = [];
    let inFlight = 0;
    const live = createPresence({
      prisma: f.app.runtime.prisma,
      workerId: "live-host:1",
      role: "all",
      runSlots: 2,
      heartbeatSeconds: 10,
      runsInFlight: () => inFlight,
      setInterval: (fn) => intervals.push(fn),
      clearInterval: () => undefined,
    });
    await live.start();
    try {
      expect(intervals).toHaveLength(1);
      // Gone: 31 s without a beat of 10 s. Still alive: 25 s (2.5 beats) — one late beat is no death.
      await insertRow("gone-host:4242", 31, 10);
      await insertRow("late-host:7", 25, 10);
      const d = await dashboard();
      expect(d.workers.map((w) => w.workerId)).toEqual(["late-host:7", "live-host:1"]);
      expect(d.workersAlive).toBe(2);

      inFlight = 2;
      intervals[0]!();
      await live.beat();
      expect(await rowOf("gone-host:4242")).toBeNull();
      expect(await rowOf("late-host:7")).not.toBeNull();
      expect(await rowOf("live-host:1")).toMatchObject({ runsInFlight: 2, role: "all", runSlots: 2, stoppingSince: null });

      // A stopping worker says so at once, then leaves.
      live.markStopping();
      await live.beat();
      expect((await rowOf("live-host:1"))?.stoppingSince).toBeInstanceOf(Date);
      await live.stop();
      expect(await rowOf("live-host:1")).toBeNull();
    } finally {
      await live.stop();
      await f.app.runtime.prisma.workerPresence.deleteMany({});
    }
  });

  it("a worker pruned while it stalled writes its row again at its next beat", async () => {
    const live = createPresence({
      prisma: f.app.runtime.prisma,
      workerId: "stalled-host:9",
      role: "worker",
      runSlots: 1,
      heartbeatSeconds: 10,
      runsInFlight: () => 0,
      setInterval: () => undefined,
      clearInterval: () => undefined,
    });
    await live.start();
    const started = (await rowOf("stalled-host:9"))!.startedAt;
    await f.app.runtime.prisma.workerPresence.deleteMany({});
    await live.beat();
    expect((await rowOf("stalled-host:9"))?.startedAt).toEqual(started);
    await live.stop();
    expect(await rowOf("stalled-host:9")).toBeNull();
  });

  it("starts even while the database is away (the row waits for a beat that reaches it)", async () => {
    const away = createPrisma(`postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`, 1);
    const presence = createPresence({ prisma: away, workerId: "away-host:1", role: "worker", runSlots: 1, heartbeatSeconds: 10, runsInFlight: () => 0, setInterval: () => undefined, clearInterval: () => undefined });
    try {
      await presence.start();
      await presence.beat();
      await presence.stop();
    } finally {
      await away.$disconnect();
    }
    expect(await rowOf("away-host:1")).toBeNull();
  });
});
