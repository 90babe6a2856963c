import { afterEach, describe, expect, it } from "vitest";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { fireSlot } from "../../src/scheduler/fire-slot.ts";
import { jobData, schedulerWorld, startWorkerInProcess, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const ECHO = "test_jobs.behaviours:EchoJob";

// The planner fires slots ahead: the run is queued due at its slot, and its start is decided there.
describe.each<QueueBackendName>(["postgres", "mongodb"])("a slot fired ahead on the %s queue backend", (backend) => {
  it("starts at its instant, not before, with the job's configuration as it is then", async () => {
    const w = await schedulerWorld(backend);
    cleanups.push(w.cleanup);
    const worker = await startWorkerInProcess(w.env, { loop: false });
    cleanups.push(() => worker.stop());
    const { runtime } = worker;
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
    const w = await schedulerWorld(backend);
    cleanups.push(w.cleanup);
    const worker = await startWorkerInProcess(w.env, { loop: false });
    cleanups.push(() => worker.stop());
    const { runtime } = worker;
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
});
