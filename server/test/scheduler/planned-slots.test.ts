import { afterEach, describe, expect, it } from "vitest";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { EXECUTE_RUNS, RUNS_PER_QUEUE_JOB } from "../../src/runs/queue-jobs.ts";
import { firePlannedSlots } from "../../src/scheduler/fire-planned-slots.ts";
import { fireSlot } from "../../src/scheduler/fire-slot.ts";
import { jobData, schedulerWorld, startWorkerInProcess, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const ECHO = "test_jobs.behaviours:EchoJob";

/** A worker in this process with no planner loop: the test fires the slots itself. */
async function workerWithoutPlanner(backend: QueueBackendName, env: Record<string, string> = {}) {
  const w = await schedulerWorld(backend, env);
  cleanups.push(w.cleanup);
  const worker = await startWorkerInProcess(w.env, { loop: false });
  cleanups.push(() => worker.stop());
  return worker.runtime;
}

// The planner fires slots ahead: the run is queued due at its slot, and its start is decided there.
describe.each<QueueBackendName>(["postgres", "mongodb"])("a slot fired ahead on the %s queue backend", (backend) => {
  it("starts at its instant, not before, with the job's configuration as it is then", async () => {
    const runtime = await workerWithoutPlanner(backend);
    const { prisma } = runtime;
    await prisma.job.create({ data: jobData("ahead.edited", { cronExpr: "* * * * * *", handlerPath: ECHO, publicCfg: { message: "as planned" } }) });
    const slot = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    const fired = await fireSlot(runtime, "ahead.edited", slot, "FIRED");
    expect(fired.kind).toBe("enqueued");
    const queued = await prisma.jobLog.findFirstOrThrow({ where: { jobId: "ahead.edited" } });
    expect(queued).toMatchObject({ status: "QUEUED", scheduledAt: slot });
    // An edit of the configuration after planning, without telling any dispatcher.
    await prisma.job.update({ where: { id: "ahead.edited" }, data: { publicCfg: { message: "edited" } } });

    const log = await waitFor(async () => {
      const l = await prisma.jobLog.findUniqueOrThrow({ where: { id: queued.id } });
      return l.status === "SUCCESS" ? l : undefined;
    }, "the planned run");
    expect(log.startedAt!.getTime()).toBeGreaterThanOrEqual(slot.getTime());
    expect(log.result).toMatchObject({ echoed: "edited", trigger: "CRON" });
    expect(log.snapshotParams).toMatchObject({ public_cfg: { message: "edited" } });
  });

  it("un-plans a slot whose job was disabled before its instant (even if no dispatcher heard of it): no run, no fire record", async () => {
    const runtime = await workerWithoutPlanner(backend);
    const { prisma } = runtime;
    await prisma.job.create({ data: jobData("ahead.disabled", { cronExpr: "* * * * * *", allowOverlap: true }) });
    const slot = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    expect((await fireSlot(runtime, "ahead.disabled", slot, "FIRED")).kind).toBe("enqueued");
    expect(await prisma.fireRecord.count({ where: { jobId: "ahead.disabled" } })).toBe(1);
    await prisma.job.update({ where: { id: "ahead.disabled" }, data: { enabled: false } });

    await waitFor(async () => (await prisma.jobLog.count({ where: { jobId: "ahead.disabled" } })) === 0 || undefined, "the planned run to be withdrawn at its instant");
    expect(Date.now()).toBeGreaterThanOrEqual(slot.getTime());
    expect(await prisma.fireRecord.count({ where: { jobId: "ahead.disabled" } })).toBe(0);
  });

  it("fires one instant's slots in groups, one queue job each, and decides every run of a group at the instant", async () => {
    const runtime = await workerWithoutPlanner(backend, { WORKER_CONCURRENCY: "50" });
    const { prisma } = runtime;
    const slot = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    const plain = Array.from({ length: 27 }, (_, i) => `group.plain_${i}`);
    await prisma.job.createMany({ data: plain.map((id) => jobData(id, { cronExpr: "* * * * * *" })) });
    await prisma.job.create({ data: jobData("group.disabled", { cronExpr: "* * * * * *" }) });
    await prisma.job.create({ data: jobData("group.busy", { cronExpr: "* * * * * *" }) });
    await prisma.job.create({ data: jobData("group.date", { triggerType: "DATE", cronExpr: null, startAt: slot }) });
    const busyRun = await prisma.jobLog.create({ data: { jobId: "group.busy", trigger: "MANUAL", status: "RUNNING", snapshotParams: {}, startedAt: new Date(), heartbeatAt: new Date() } });
    const ids = [...plain, "group.disabled", "group.busy", "group.date"];

    const stats = await firePlannedSlots(runtime, ids.map((jobId) => ({ jobId, at: slot })));
    expect(stats).toEqual({ fired: 30, skipped: 0 });
    // Fired again (a second planner, a restart): the fire records keep it to once.
    expect(await firePlannedSlots(runtime, ids.map((jobId) => ({ jobId, at: slot })))).toEqual({ fired: 0, skipped: 30 });
    const { jobs: queueJobs } = await runtime.queue.agenda.queryJobs({ name: EXECUTE_RUNS, limit: 10 });
    expect(queueJobs).toHaveLength(Math.ceil(30 / RUNS_PER_QUEUE_JOB));
    const queued = await prisma.jobLog.findMany({ where: { scheduledAt: slot } });
    expect(queued).toHaveLength(30);
    expect(new Set(queued.map((l) => l.queueJobId))).toEqual(new Set(queueJobs.map((j) => String(j._id))));
    expect(queued.every((l) => l.status === "QUEUED")).toBe(true);
    await prisma.job.update({ where: { id: "group.disabled" }, data: { enabled: false } });

    await waitFor(async () => (await prisma.jobLog.count({ where: { scheduledAt: slot, status: "SUCCESS" } })) === 28 || undefined, "the group's runs to end");
    const runs = await prisma.jobLog.findMany({ where: { scheduledAt: slot }, orderBy: { id: "asc" } });
    expect(runs.map((r) => r.jobId).sort()).toEqual([...plain, "group.date"].sort());
    expect(runs.every((r) => r.startedAt!.getTime() >= slot.getTime())).toBe(true);
    // Claimed together: one statement per group stamps one start time on all its runs.
    expect(new Set(runs.map((r) => r.startedAt!.getTime())).size).toBeLessThanOrEqual(queueJobs.length);
    const fires = new Map((await prisma.fireRecord.findMany({ where: { scheduledAt: slot } })).map((f) => [f.jobId, f]));
    expect(fires.has("group.disabled")).toBe(false);
    expect(fires.get("group.busy")).toMatchObject({ outcome: "SKIPPED_OVERLAP", logId: null, note: `Not started: run #${busyRun.id} was still RUNNING (allowOverlap is off).` });
    expect(fires.get("group.date")).toMatchObject({ outcome: "FIRED" });
    expect((await prisma.job.findUniqueOrThrow({ where: { id: "group.date" } })).completedAt).not.toBeNull();
    // lastRunAt is the slot that started, not the instant it started.
    expect((await prisma.job.findUniqueOrThrow({ where: { id: "group.plain_0" } })).lastRunAt!.getTime()).toBe(slot.getTime());
  });
});
