import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putExecuteJob, putExecuteRunsJob, requestCancel, snapshotOfJob } from "../../src/runs/index.ts";
import { openEngine, type Backend, type Engine } from "../execution/harness.ts";

const ECHO = "test_jobs.behaviours:EchoJob";

// Cancelling a QUEUED run removes its queue job only when that job carries nothing else: the
// other runs of a group (a planned slot's, or runs handed back together) still start from it.
describe.each<Backend>(["postgres", "mongodb"])("cancelling a queued run on the %s queue", (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ backend, startWorker: false });
  });
  afterAll(() => engine?.close());

  async function queuedRuns(jobId: string, n: number) {
    const job = await engine.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const snapshotParams = snapshotOfJob(job, "MANUAL", null) as never;
    return Promise.all(Array.from({ length: n }, () => engine.runtime.prisma.jobLog.create({ data: { jobId, trigger: "MANUAL", snapshotParams } })));
  }

  it("leaves a group's queue job to its other runs, which still run; removes a queue job of the run alone", async () => {
    const { prisma, queue } = engine.runtime;
    const jobId = await engine.createJob({ handlerPath: ECHO, publicCfg: { message: "grouped" } });
    const [cancelled, kept] = await queuedRuns(jobId, 2);
    const group = await putExecuteRunsJob(engine.runtime, [cancelled!.id, kept!.id], new Date(Date.now() + 2_000));
    await prisma.jobLog.updateMany({ where: { id: { in: [cancelled!.id, kept!.id] } }, data: { queueJobId: group } });
    const [alone] = await queuedRuns(jobId, 1);
    const single = await putExecuteJob(engine.runtime, alone!.id);
    await prisma.jobLog.update({ where: { id: alone!.id }, data: { queueJobId: single } });

    expect((await requestCancel(engine.runtime, cancelled!.id)).status).toBe("CANCELLED");
    expect((await requestCancel(engine.runtime, alone!.id)).status).toBe("CANCELLED");
    expect((await queue.agenda.queryJobs({ id: group })).jobs).toHaveLength(1);
    expect((await queue.agenda.queryJobs({ id: single })).jobs).toEqual([]);

    await engine.startWorker();
    const done = await engine.final(kept!.id, 20_000);
    expect(done.status).toBe("SUCCESS");
    expect(done.result).toMatchObject({ echoed: "grouped" });
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: cancelled!.id } })).status).toBe("CANCELLED");
    await engine.stopWorker();
  });
});
