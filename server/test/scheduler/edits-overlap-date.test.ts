import { afterEach, describe, expect, it } from "vitest";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { fireSlot } from "../../src/scheduler/fire-slot.ts";
import { withdrawUnwantedRuns } from "../../src/runs/withdraw.ts";
import { type InProcessWorker, jobData, schedulerWorld, SLEEP_HANDLER, sleep, startWorkerInProcess, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function world(backend: QueueBackendName, options: Parameters<typeof startWorkerInProcess>[1] = {}): Promise<InProcessWorker> {
  const w = await schedulerWorld(backend);
  cleanups.push(w.cleanup);
  const worker = await startWorkerInProcess(w.env, options);
  cleanups.push(() => worker.stop());
  return worker;
}

describe.each<QueueBackendName>(["postgres", "mongodb"])("edits, overlap and date triggers on the %s queue backend", (backend) => {
  it("stops firing a job once it is disabled (no slot after the change fires)", async () => {
    const { runtime } = await world(backend);
    const { prisma } = runtime;
    await prisma.job.create({ data: jobData("sched.to_disable", { cronExpr: "* * * * * *", allowOverlap: true }) });
    await runtime.events.publish("job.changed", { jobId: "sched.to_disable", change: "created" });
    await waitFor(async () => (await prisma.fireRecord.count({ where: { jobId: "sched.to_disable" } })) >= 3 || undefined, "three fires");
    await prisma.job.update({ where: { id: "sched.to_disable" }, data: { enabled: false } });
    const disabledAt = Date.now();
    await runtime.events.publish("job.changed", { jobId: "sched.to_disable", change: "updated" });
    // Several slots pass with the job disabled; none of them may fire.
    await waitFor(async () => Date.now() > disabledAt + 4000 || undefined, "four slots to pass");
    const late = await prisma.fireRecord.count({ where: { jobId: "sched.to_disable", scheduledAt: { gt: new Date(disabledAt + 1) } } });
    expect(late).toBe(0);
  });

  it("withdraws a fired-but-not-started run when its job is disabled: CANCELLED with why, fire record annotated", async () => {
    // No worker part: the fired run stays QUEUED.
    const { runtime, dispatcher } = await world(backend, { loop: false, worker: false });
    const { prisma } = runtime;
    const created = new Date(Date.now() - 3600_000);
    await prisma.job.create({ data: jobData("sched.withdraw", { cronExpr: "* * * * *", createdAt: created, updatedAt: created }) });
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const fired = await fireSlot(runtime, "sched.withdraw", slot, "FIRED");
    expect(fired.kind).toBe("enqueued");
    await prisma.job.update({ where: { id: "sched.withdraw" }, data: { enabled: false } });
    expect(await withdrawUnwantedRuns(runtime, "sched.withdraw")).toBe(1);
    const log = await prisma.jobLog.findFirstOrThrow({ where: { jobId: "sched.withdraw" } });
    expect(log.status).toBe("CANCELLED");
    expect(log.message).toMatch(/Withdrawn before it started: the job was disabled/);
    const record = await prisma.fireRecord.findFirstOrThrow({ where: { jobId: "sched.withdraw" } });
    expect(record.logId).toBe(log.id);
    expect(record.note).toMatch(/withdrawn before it started/);
    // The same slot cannot fire again.
    expect((await fireSlot(runtime, "sched.withdraw", slot, "FIRED")).kind).toBe("duplicate");
  });

  it("fires a date trigger once, marks the job completed, and never plans it again", async () => {
    const { runtime } = await world(backend);
    const { prisma } = runtime;
    const runAt = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    await prisma.job.create({ data: jobData("sched.once", { triggerType: "DATE", cronExpr: null, startAt: runAt }) });
    await runtime.events.publish("job.changed", { jobId: "sched.once", change: "created" });
    const log = await waitFor(async () => {
      const l = await prisma.jobLog.findFirst({ where: { jobId: "sched.once" } });
      return l?.status === "SUCCESS" ? l : undefined;
    }, "the date run");
    expect(log.trigger).toBe("DATE");
    expect(log.scheduledAt!.getTime()).toBe(runAt.getTime());
    const job = await prisma.job.findUniqueOrThrow({ where: { id: "sched.once" } });
    expect(job.completedAt).not.toBeNull();
    await sleep(3000);
    expect(await prisma.jobLog.count({ where: { jobId: "sched.once" } })).toBe(1);
    expect(await prisma.fireRecord.count({ where: { jobId: "sched.once" } })).toBe(1);
  });

  it("skips a slot while the previous run is still running, records SKIPPED_OVERLAP, and never runs two at once", async () => {
    const { runtime } = await world(backend);
    const { prisma } = runtime;
    await prisma.job.create({ data: jobData("sched.slow", { cronExpr: "* * * * * *", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 2500 } }) });
    await runtime.events.publish("job.changed", { jobId: "sched.slow", change: "created" });
    const skipped = await waitFor(async () => {
      const rows = await prisma.fireRecord.findMany({ where: { jobId: "sched.slow", outcome: "SKIPPED_OVERLAP" } });
      const runs = await prisma.jobLog.count({ where: { jobId: "sched.slow", status: "SUCCESS" } });
      return rows.length >= 3 && runs >= 2 ? rows : undefined;
    }, "overlapping slots to be skipped");
    expect(skipped.every((r) => r.logId === null && /was still (QUEUED|RUNNING)/.test(r.note ?? ""))).toBe(true);
    await prisma.job.update({ where: { id: "sched.slow" }, data: { enabled: false } });
    await waitFor(async () => (await prisma.jobLog.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) === 0 || undefined, "runs to end");
    const runs = await prisma.jobLog.findMany({ where: { jobId: "sched.slow", status: "SUCCESS" }, orderBy: { startedAt: "asc" } });
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
  });
});
