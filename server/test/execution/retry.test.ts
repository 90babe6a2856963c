import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun, requestCancel, RetryRefusedError, RunNotFoundError } from "../../src/execution/index.ts";
import { openEngine, type Engine } from "./harness.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine();
});
afterAll(() => engine?.close());

describe("retry", () => {
  it("is refused while the run is RUNNING and allowed once it has ended", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 60_000 } });
    const first = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    // An idle worker may already have started it (a plain run's claim is one statement): refused either way.
    await expect(enqueueRun(engine.runtime, { kind: "retry", logId: first.id })).rejects.toMatchObject({ code: "RETRY_REFUSED", message: expect.stringMatching(/still (QUEUED|RUNNING)/) });
    await engine.reached(first.id, "RUNNING");
    const refused = await enqueueRun(engine.runtime, { kind: "retry", logId: first.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RetryRefusedError);
    expect((refused as Error).message).toContain("still RUNNING");
    await requestCancel(engine.runtime, first.id);
    await engine.final(first.id);
    const retry = await enqueueRun(engine.runtime, { kind: "retry", logId: first.id });
    expect(retry).toMatchObject({ trigger: "RETRY", retryOfId: first.id, attempt: 2, status: "QUEUED" });
    await requestCancel(engine.runtime, retry.id);
  });

  it("re-runs the old snapshot even after the job was edited, as a new log", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: { message: "original" } });
    const first = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    expect((await engine.final(first.id)).result).toMatchObject({ echoed: "original" });
    await engine.runtime.prisma.job.update({ where: { id: jobId }, data: { publicCfg: { message: "edited" }, handlerPath: "test_jobs.noop:NoopJob" } });

    const retry = await enqueueRun(engine.runtime, { kind: "retry", logId: first.id });
    const done = await engine.final(retry.id);
    expect(done).toMatchObject({ status: "SUCCESS", trigger: "RETRY", retryOfId: first.id, attempt: 2 });
    expect(done.result).toEqual({ echoed: "original", attempt: 2, trigger: "RETRY" });
    expect(done.snapshotParams).toMatchObject({ handler_path: "test_jobs.behaviours:EchoJob", public_cfg: { message: "original" }, meta: { trigger: "RETRY", retry_of: first.id } });

    // A retry of the retry counts on.
    const third = await enqueueRun(engine.runtime, { kind: "retry", logId: retry.id });
    expect((await engine.final(third.id)).attempt).toBe(3);
    // The job itself runs its edited definition.
    const fresh = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    expect((await engine.final(fresh.id)).result).toEqual({ ok: true });
  });

  it("allows one pending retry per run, even when asked twice at once", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 60_000 } });
    const first = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    await requestCancel(engine.runtime, first.id);
    // Cancelled while QUEUED it ends at once; if a worker had already started it, once the worker aborts it.
    expect((await engine.final(first.id)).status).toBe("CANCELLED");
    const both = await Promise.allSettled([1, 2].map(() => enqueueRun(engine.runtime, { kind: "retry", logId: first.id })));
    const ok = both.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(1);
    expect((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(RetryRefusedError);
    await requestCancel(engine.runtime, (ok[0] as PromiseFulfilledResult<{ id: number }>).value.id);
  });

  it("says the run does not exist when retrying an unknown log", async () => {
    await expect(enqueueRun(engine.runtime, { kind: "retry", logId: 424242 })).rejects.toBeInstanceOf(RunNotFoundError);
  });
});
