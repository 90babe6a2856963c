import { afterEach, describe, expect, it } from "vitest";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { type ChildWorker, jobData, schedulerWorld, spawnWorker, startWorkerInProcess, waitFor, type SchedulerWorld } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe.each<QueueBackendName>(["postgres", "mongodb"])("dispatching on the %s queue backend", (backend) => {
  it("fires every slot of real every-second and every-3-seconds jobs exactly once across two worker processes, a future lastRunAt notwithstanding", async () => {
    const world: SchedulerWorld = await schedulerWorld(backend);
    cleanups.push(world.cleanup);
    const app = await startWorkerInProcess(world.env);
    cleanups.push(() => app.stop());
    const other: ChildWorker = spawnWorker(world.env);
    cleanups.push(() => other.kill("SIGTERM"));
    const { prisma } = app.runtime;

    const farFuture = new Date(Date.now() + 24 * 3600_000);
    await prisma.job.createMany({
      data: [
        jobData("sched.every_second", { cronExpr: "* * * * * *", allowOverlap: true, lastRunAt: farFuture }),
        jobData("sched.every_3s", { triggerType: "INTERVAL", cronExpr: null, intervalSeconds: 3, startAt: new Date(Math.floor(Date.now() / 1000) * 1000), allowOverlap: true }),
      ],
    });
    await app.runtime.events.publish("job.changed", { jobId: "sched.every_second", change: "created" });

    // The planner fires slots ahead (QUEUED runs due at their slot): look at the slots up to a cutoff.
    let cutoff = new Date();
    const fired = await waitFor(
      async () => {
        cutoff = new Date();
        const rows = await prisma.fireRecord.findMany({
          where: { jobId: "sched.every_second", outcome: "FIRED", scheduledAt: { lte: cutoff } },
          orderBy: { scheduledAt: "asc" },
        });
        return rows.length >= 12 ? rows : undefined;
      },
      "12 fires of the every-second job",
      90_000,
    );
    const due = { scheduledAt: { lte: cutoff } };
    // Let the runs of those slots finish before counting runs.
    await waitFor(async () => (await prisma.jobLog.count({ where: { ...due, status: { in: ["QUEUED", "RUNNING"] } } })) === 0 || undefined, "runs to settle", 30_000);

    for (const jobId of ["sched.every_second", "sched.every_3s"]) {
      const logs = await prisma.jobLog.findMany({ where: { jobId, ...due }, orderBy: { scheduledAt: "asc" } });
      const slots = logs.map((l) => l.scheduledAt!.getTime());
      expect(new Set(slots).size, `${jobId}: one run per slot`).toBe(slots.length);
      const records = await prisma.fireRecord.findMany({ where: { jobId, ...due }, orderBy: { scheduledAt: "asc" } });
      expect(records.every((r) => r.logId !== null && r.outcome === "FIRED")).toBe(true);
      expect(records.map((r) => r.scheduledAt.getTime())).toEqual(slots);
      expect(logs.every((l) => l.status === "SUCCESS" && l.trigger === (jobId === "sched.every_second" ? "CRON" : "INTERVAL"))).toBe(true);
      // Never started before its slot.
      expect(logs.every((l) => l.startedAt!.getTime() >= l.scheduledAt!.getTime())).toBe(true);
      // No gap between the first and the last fired slot: every slot while the system was up fired.
      const step = jobId === "sched.every_second" ? 1000 : 3000;
      for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!, `${jobId}: slot after ${new Date(slots[i - 1]!).toISOString()}`).toBe(step);
    }
    // Both processes took part in running them.
    const workers = await prisma.jobLog.groupBy({ by: ["workerId"], _count: true });
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(other.child.exitCode, `the second worker process kept running:\n${other.output()}`).toBeNull();
    expect(fired.length).toBeGreaterThanOrEqual(12);
  });
});
