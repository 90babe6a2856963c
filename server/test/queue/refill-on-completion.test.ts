import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putExecuteRunsJob, snapshotOfJob } from "../../src/runs/index.ts";
import { openEngine, type Backend, type Engine } from "../execution/harness.ts";

// A worker locks only so many queue jobs of runs at once (their lock limit, WORKER_CONCURRENCY
// groups). When one is done, the next is locked at once, not at the queue's next poll: here the
// poll is 10 minutes away and the worker may hold one group at a time, so three groups due now
// all run only if each completion locks the next.
describe.each<Backend>(["postgres", "mongodb"])("queue jobs of runs beyond the lock limit on the %s queue", (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ backend, startWorker: false, env: { WORKER_CONCURRENCY: "1", QUEUE_POLL_MS: "600000" } });
  });
  afterAll(() => engine?.close());

  it("are locked one after another as each completes, without waiting for a poll", async () => {
    const { prisma } = engine.runtime;
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const logs = [];
    for (let i = 0; i < 3; i++) {
      const log = await prisma.jobLog.create({ data: { jobId, trigger: "MANUAL", snapshotParams: snapshotOfJob(job, "MANUAL", null) as never } });
      const queueJobId = await putExecuteRunsJob(engine.runtime, [log.id], new Date());
      await prisma.jobLog.update({ where: { id: log.id }, data: { queueJobId } });
      logs.push(log);
    }
    await engine.startWorker();
    const finals = await Promise.all(logs.map((l) => engine.final(l.id, 20_000)));
    expect(finals.map((l) => l.status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    await engine.stopWorker();
  });
});
