import type { Prisma } from "../../src/generated/prisma/client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun, requestCancel, RunNotCancellableError, RunNotFoundError } from "../../src/execution/index.ts";
import { openEngine, type Engine } from "./harness.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ startWorker: false });
});
afterAll(() => engine?.close());

async function start(handlerPath: string, publicCfg: Prisma.InputJsonObject, extra: Record<string, unknown> = {}) {
  const jobId = await engine.createJob({ handlerPath, publicCfg, ...extra });
  return enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
}

describe("cancel", () => {
  it("cancels a QUEUED run at once, and the worker never starts it", async () => {
    const queued = await start("test_jobs.behaviours:EchoJob", {});
    const cancelled = await requestCancel(engine.runtime, queued.id);
    expect(cancelled).toMatchObject({ status: "CANCELLED", message: "Cancelled before it started.", messageCode: "RUN_CANCELLED_BEFORE_START", messageParams: {} });
    expect(cancelled.startedAt).toBeNull();
    // Now let a worker at the queue, and prove with a later run that it has caught up.
    await engine.startWorker();
    const later = await start("test_jobs.noop:NoopJob", {});
    await engine.final(later.id);
    const after = await engine.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: queued.id } });
    expect(after).toMatchObject({ status: "CANCELLED", startedAt: null, workerId: null });
  });

  it("aborts a RUNNING run through the run.cancelRequested event", async () => {
    await engine.startWorker();
    const queued = await start("test_jobs.behaviours:SleepJob", { ms: 60_000 });
    await engine.printed(queued.id, "sleeping 60000 ms");
    await requestCancel(engine.runtime, queued.id);
    const log = await engine.final(queued.id);
    expect(log).toMatchObject({ status: "CANCELLED", message: expect.stringContaining("Cancelled by an operator"), messageCode: "RUN_CANCELLED" });
    expect(log.cancelRequestedAt).not.toBeNull();
    expect(engine.cancelRequests).toContainEqual({ logId: queued.id });
    expect(log.runLog).toContain("sleeping 60000 ms");
  });

  it("also sees a cancel request at its heartbeat when no event arrives", async () => {
    await engine.startWorker();
    const queued = await start("test_jobs.behaviours:SleepJob", { ms: 60_000 });
    await engine.reached(queued.id, "RUNNING");
    // Only the column, as if the event had been lost.
    await engine.runtime.prisma.jobLog.update({ where: { id: queued.id }, data: { cancelRequestedAt: new Date() } });
    const log = await engine.final(queued.id);
    expect(log.status).toBe("CANCELLED");
    expect(log.heartbeatAt).not.toBeNull();
  });

  it("ends a run whose handler ignores the abort, saying it did not stop", async () => {
    await engine.startWorker();
    const queued = await start("test_jobs.behaviours:StubbornJob", { ms: 30_000 });
    await engine.printed(queued.id, "ignoring my signal");
    await requestCancel(engine.runtime, queued.id);
    const log = await engine.final(queued.id);
    expect(log.status).toBe("CANCELLED");
    expect(log.message).toContain("did not stop within 5 s");
    expect(log).toMatchObject({ messageCode: "RUN_HANDLER_STUCK", messageParams: { cause: "RUN_CANCELLED", graceSeconds: 5 } });
    expect(log.finishedAt).not.toBeNull();
  });

  it("refuses to cancel a finished run or one that does not exist", async () => {
    await engine.startWorker();
    const queued = await start("test_jobs.noop:NoopJob", {});
    await engine.final(queued.id);
    await expect(requestCancel(engine.runtime, queued.id)).rejects.toBeInstanceOf(RunNotCancellableError);
    await expect(requestCancel(engine.runtime, 987654)).rejects.toBeInstanceOf(RunNotFoundError);
  });
});

describe("timeout", () => {
  it("fails a run that exceeds the job's timeoutSeconds", async () => {
    await engine.startWorker();
    const queued = await start("test_jobs.behaviours:SleepJob", { ms: 60_000 }, { timeoutSeconds: 1 });
    const log = await engine.final(queued.id);
    expect(log.status).toBe("FAILURE");
    expect(log.message).toContain("exceeded its timeout of 1 s");
    expect(log).toMatchObject({ messageCode: "RUN_TIMED_OUT", messageParams: { seconds: 1 } });
  });

  it("fails a timed-out run whose handler ignores the abort, after the grace", async () => {
    await engine.startWorker();
    const queued = await start("test_jobs.behaviours:StubbornJob", { ms: 30_000 }, { timeoutSeconds: 1 });
    const log = await engine.final(queued.id);
    expect(log.status).toBe("FAILURE");
    expect(log.message).toContain("exceeded its timeout of 1 s");
    expect(log.message).toContain("did not stop");
    expect(log).toMatchObject({ messageCode: "RUN_HANDLER_STUCK", messageParams: { cause: "RUN_TIMED_OUT", seconds: 1 } });
    expect(log.runLog).not.toContain("stubborn job woke up");
  });
});
