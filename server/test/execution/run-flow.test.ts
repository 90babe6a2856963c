import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { openEngine, reassemble, type Backend, type Engine } from "./harness.ts";

// The core flow runs on both queue backends: Agenda on PostgreSQL and on MongoDB (FerretDB).
describe.each<Backend>(["postgres", "mongodb"])("a run on the %s queue backend", (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ backend });
  });
  afterAll(() => engine?.close());

  it("succeeds, keeps the handler's result, and moves QUEUED → RUNNING → SUCCESS with events", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: { message: "hi" }, timezone: "Asia/Shanghai" });
    const queued = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    expect(queued.status).toBe("QUEUED");
    const log = await engine.final(queued.id);
    expect(log).toMatchObject({ status: "SUCCESS", trigger: "MANUAL", attempt: 1, workerId: engine.runtime.instanceId });
    expect(log.result).toEqual({ echoed: "hi", attempt: 1, trigger: "MANUAL" });
    // On MongoDB the run came in a queue job of its own; on PostgreSQL its row was its queue entry.
    if (backend === "mongodb") expect(log.queueJobId).toBeTruthy();
    else expect(log.queueJobId).toBeNull();
    expect(log.startedAt!.getTime()).toBeLessThanOrEqual(log.finishedAt!.getTime());
    expect(engine.statuses.filter((s) => s.logId === queued.id).map((s) => s.status)).toEqual(["QUEUED", "RUNNING", "SUCCESS"]);
    // The message as text (API clients, webhooks) and as code + parameters (clients that translate it).
    expect(log).toMatchObject({ message: "Run succeeded.", messageCode: "RUN_SUCCEEDED", messageParams: {} });
    expect(engine.statuses.find((s) => s.logId === queued.id && s.status === "SUCCESS")).toMatchObject({ messageCode: "RUN_SUCCEEDED", messageParams: {} });
    // Human-readable lines in the job's zone (+08:00), with the handler's fields.
    expect(log.runLog).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00 INFO  echo hi \{"echo":"hi"\}$/m);
    expect(log.runLogBytes).toBe(Buffer.byteLength(log.runLog));
    const job = await engine.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    // lastRunAt is the newest scheduled slot that started: a manual run leaves it alone.
    expect(job.lastRunAt).toBeNull();
  });

  it("fails with the error, and a traceback that follows the cause chain", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:FailWithCauseJob" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    expect(log.status).toBe("FAILURE");
    expect(log.message).toMatch(/^Error: sync failed/);
    expect(log.traceback).toMatch(/^Error: sync failed\n\s+at /);
    expect(log.traceback).toContain("Caused by: Error: could not write export file");
    expect(log.traceback).toContain("Caused by: RangeError: disk quota exceeded");
    expect(log.traceback).toContain("behaviours.ts");
  });

  it("fails with a readable message when the handler throws a string", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:ThrowStringJob" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    expect(log).toMatchObject({ status: "FAILURE", message: "a plain string, not an Error", messageCode: "RUN_FAILED", messageParams: { error: "a plain string, not an Error" } });
    expect(log.traceback).toContain("non-Error value (string)");
  });

  it("publishes output chunks whose offsets are contiguous and reassemble the stored run log exactly", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:ChattyJob", publicCfg: { lines: 40, width: 150, text: "日志é" } });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    expect(log.status).toBe("SUCCESS");
    const { text, gaps } = reassemble(engine.outputs, id);
    expect(gaps).toEqual([]);
    expect(text).toBe(log.runLog);
    for (const o of engine.outputs.filter((o) => o.logId === id)) expect(Buffer.byteLength(o.text)).toBeLessThanOrEqual(2000);
    expect(log.message).toContain("WARN chatty warning at the end");
    // Where the warnings summary starts, so a client can put its own words before it.
    const at = (log.messageParams as { summaryAt: number }).summaryAt;
    expect(log.message!.slice(0, at)).toBe("Run succeeded.");
    expect(log.message!.slice(at)).toMatch(/^\n\nWarnings and errors logged \(\d+\):\n- /);
  });
});
