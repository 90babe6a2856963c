import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuplicateFireError, enqueueRun, handOverRun, JobNotFoundError } from "../../src/execution/index.ts";
import { snapshotOfJob } from "../../src/runs/snapshot.ts";
import { openEngine, type Engine } from "./harness.ts";

let engine: Engine;
/** No scheduler runs in this engine: an enabled job only lets a fired run pass its start check. */
const firesAt = (cronExpr: string) => ({ enabled: true, triggerType: "CRON" as const, cronExpr, timezone: "UTC" });
beforeAll(async () => {
  engine = await openEngine({ env: { SHUTDOWN_GRACE_SECONDS: "1" } });
});
afterAll(() => engine?.close());

describe("enqueueRun", () => {
  it("records a dispatcher fire with its log, and refuses the same slot twice writing nothing", async () => {
    // A fired run starts only while its slot is still one of the job's: an enabled job whose cron has it.
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", ...firesAt("0 9 * * *") });
    const scheduledAt = new Date("2026-11-23T09:00:00Z");
    const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "CRON" }, { fire: { scheduledAt, outcome: "FIRED" } });
    expect(log).toMatchObject({ trigger: "CRON", scheduledAt });
    expect(log.snapshotParams).toMatchObject({ meta: { trigger: "CRON", scheduled_at: scheduledAt.toISOString() } });
    const fire = await engine.runtime.prisma.fireRecord.findUniqueOrThrow({ where: { jobId_scheduledAt: { jobId, scheduledAt } } });
    expect(fire).toMatchObject({ outcome: "FIRED", logId: log.id });

    const before = await engine.runtime.prisma.jobLog.count({ where: { jobId } });
    await expect(enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "CRON" }, { fire: { scheduledAt, outcome: "FIRED" } })).rejects.toBeInstanceOf(DuplicateFireError);
    expect(await engine.runtime.prisma.jobLog.count({ where: { jobId } })).toBe(before);
    expect((await engine.final(log.id)).status).toBe("SUCCESS");
  });

  it("writes inside the caller's transaction, which stays usable after a duplicate fire, and queues only when handed over after the commit", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", ...firesAt("0 10 * * *") });
    const scheduledAt = new Date("2026-11-23T10:00:00Z");
    const written = await engine.runtime.prisma.$transaction(async (tx) => {
      const a = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "CRON" }, { tx, fire: { scheduledAt, outcome: "CATCHUP" } });
      const dup = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "CRON" }, { tx, fire: { scheduledAt, outcome: "CATCHUP" } }).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(DuplicateFireError);
      await tx.job.update({ where: { id: jobId }, data: { description: "still writable" } });
      return a;
    });
    // Nothing reached the queue before the commit: the queue never sees an uncommitted run.
    expect(written.queueJobId).toBeNull();
    expect(engine.statuses.some((s) => s.logId === written.id)).toBe(false);
    const handed = await handOverRun(engine.runtime, written);
    expect(handed.queueJobId).toBeTruthy();
    expect((await engine.final(written.id)).status).toBe("SUCCESS");
    expect((await engine.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).description).toBe("still writable");
  });

  it("keeps the encrypted secret token in the snapshot, never the plaintext", async () => {
    const token = engine.encrypt({ password: "hunter2-plaintext" });
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", secretCfg: token });
    const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    expect(log.snapshotParams).toMatchObject({ secret_cfg: token });
    expect(JSON.stringify(log.snapshotParams)).not.toContain("hunter2");
    await engine.final(log.id);
  });

  it("says which job is missing", async () => {
    await expect(enqueueRun(engine.runtime, { kind: "job", jobId: "no.such.job", trigger: "MANUAL" })).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe("recovery", () => {
  it("runs a fired QUEUED log whose queue job was never created (crash between commit and enqueue): the sweep hands it over", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: { message: "recovered" }, ...firesAt("0 11 * * *") });
    const job = await engine.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const scheduledAt = new Date("2026-11-23T11:00:00Z");
    // What a crash leaves behind: the committed log and its fire record, no queue job, no event.
    const orphan = await engine.runtime.prisma.jobLog.create({
      data: { jobId, trigger: "CRON", scheduledAt, snapshotParams: snapshotOfJob(job, "CRON", scheduledAt) as never, createdAt: new Date(Date.now() - 60_000) },
    });
    await engine.runtime.prisma.fireRecord.create({ data: { jobId, scheduledAt, outcome: "FIRED", logId: orphan.id } });
    const log = await engine.final(orphan.id);
    expect(log.status).toBe("SUCCESS");
    expect(log.result).toMatchObject({ echoed: "recovered" });
    expect(log.queueJobId).toBeTruthy();
  });

  it("runs a plain QUEUED log that has no queue job: on the PostgreSQL queue its row is its queue entry", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: { message: "from its row" } });
    const job = await engine.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const queued = await engine.runtime.prisma.jobLog.create({ data: { jobId, trigger: "MANUAL", snapshotParams: snapshotOfJob(job, "MANUAL", null) as never } });
    // No wake-up was sent for it: a worker finds it at its poll.
    const log = await engine.final(queued.id);
    expect(log).toMatchObject({ status: "SUCCESS", queueJobId: null, result: { echoed: "from its row" } });
  });
});

describe("worker shutdown", () => {
  it("gives running runs SHUTDOWN_GRACE_SECONDS, then cancels them saying why", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 60_000 } });
    const queued = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    await engine.printed(queued.id, "sleeping");
    await engine.stopWorker();
    const log = await engine.final(queued.id);
    expect(log.status).toBe("CANCELLED");
    expect(log.message).toContain("worker shut down");
    expect(log.message).toContain("SHUTDOWN_GRACE_SECONDS (1 s)");
  });
});
