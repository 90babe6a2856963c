import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type AuditEntry } from "../../src/audit/index.ts";
import { enqueueRun, handOverRun, JobNotFoundError, snapshotOfJob } from "../../src/runs/index.ts";
import { openEngine, type Engine } from "../execution/harness.ts";

// Run Now's one statement (runs/create-and-hand-over.ts): the run, its queue job, its audit row and
// its QUEUED event together, or (the queue refusing) the run still recorded and handed over later.

const audit = (jobId: string): AuditEntry => ({ actor: SYSTEM_ACTOR, action: "run.now", target: { type: "Job", id: jobId }, outcome: "SUCCESS" });

describe("Run Now on the PostgreSQL queue", () => {
  let engine: Engine;
  beforeAll(async () => {
    // No worker at first: the rows are compared as the statement left them.
    engine = await openEngine({ startWorker: false });
  });
  afterAll(() => engine?.close());

  it("writes the run (its snapshot as snapshotOfJob builds it, its row its own queue entry), the audit row and the QUEUED event, and returns the stored row", async () => {
    const { prisma } = engine.runtime;
    const token = engine.encrypt({ password: "p" });
    const jobs = [
      await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", publicCfg: { a: 1, nested: { b: [1, "x", null] } }, secretCfg: token, timezone: "Asia/Shanghai", timeoutSeconds: 30 }),
      // Not an object: the snapshot carries {} (as snapshotOfJob does); no secret, timezone or timeout.
      await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", publicCfg: [1, 2] }),
    ];
    const logs = [];
    for (const jobId of jobs) {
      const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" }, { audit: audit(jobId) });
      logs.push(log);
      expect(log).toEqual(await prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } }));
      const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      expect(log.snapshotParams).toEqual(snapshotOfJob(job, "MANUAL", null));
      expect(log).toMatchObject({ status: "QUEUED", trigger: "MANUAL", scheduledAt: null, attempt: 1 });
      expect(log.traceId).toMatch(/^[0-9a-f]{32}$/);

      // No queue job: a woken worker takes the QUEUED row itself.
      expect(log.queueJobId).toBeNull();
      expect(await prisma.$queryRaw`SELECT id FROM agenda_jobs WHERE (data ->> 'logId')::int = ${log.id}`).toEqual([]);

      const rows = await prisma.auditEvent.findMany({ where: { action: "run.now", targetId: jobId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: "SUCCESS", actor: "system", targetType: "Job", detail: { logId: log.id }, traceId: log.traceId });
      await engine.reached(log.id, "QUEUED");
    }
    // A worker starting later takes what waits in the table.
    await engine.startWorker();
    for (const log of logs) expect((await engine.final(log.id)).status).toBe("SUCCESS");
    await engine.stopWorker();
  });

  it("keeps a requested slot: in the row and the snapshot, and as the queue job's due time when it is ahead", async () => {
    const { prisma } = engine.runtime;
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const ahead = new Date(Date.now() + 3_600_000);
    const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL", scheduledAt: ahead });
    expect(log.scheduledAt).toEqual(ahead);
    expect(log.snapshotParams).toEqual(snapshotOfJob(job, "MANUAL", ahead));
    const [queued] = await prisma.$queryRaw<{ next_run_at: Date }[]>`SELECT next_run_at FROM agenda_jobs WHERE id = ${log.queueJobId}::uuid`;
    expect(queued!.next_run_at).toEqual(ahead);
    // Without an audit entry no audit row is written.
    expect(await prisma.auditEvent.count({ where: { targetId: jobId } })).toBe(0);
  });

  it("hands a committed run over in one statement once: a second hand-over puts no second queue job", async () => {
    const { prisma } = engine.runtime;
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
    const written = await prisma.$transaction((tx) => enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" }, { tx }));
    expect(written.queueJobId).toBeNull();
    const handed = await handOverRun(engine.runtime, written);
    expect(handed.queueJobId).toBeTruthy();
    expect(await prisma.jobLog.findUniqueOrThrow({ where: { id: written.id } })).toMatchObject({ queueJobId: handed.queueJobId });
    await engine.reached(written.id, "QUEUED");
    const again = await handOverRun(engine.runtime, written);
    expect(again.queueJobId).toBeNull();
    const queueJobs = await prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM agenda_jobs WHERE (data ->> 'logId')::int = ${written.id}`;
    expect(queueJobs).toEqual([{ id: handed.queueJobId }]);
  });

  it("answers not found for a missing job, writing no run and no success row", async () => {
    const before = await engine.runtime.prisma.jobLog.count();
    await expect(enqueueRun(engine.runtime, { kind: "job", jobId: "gone.job", trigger: "MANUAL" }, { audit: audit("gone.job") })).rejects.toBeInstanceOf(JobNotFoundError);
    expect(await engine.runtime.prisma.jobLog.count()).toBe(before);
    expect(await engine.runtime.prisma.auditEvent.count({ where: { targetId: "gone.job" } })).toBe(0);
  });

  it("needs nothing from the queue's table: with it refusing inserts, the run is recorded with its audit row and QUEUED event, and a worker runs it", async () => {
    const { prisma } = engine.runtime;
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_queue() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'queue refuses'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_queue BEFORE INSERT ON agenda_jobs FOR EACH ROW EXECUTE FUNCTION refuse_queue()`);
    try {
      const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" }, { audit: audit(jobId) });
      expect(log).toMatchObject({ status: "QUEUED", queueJobId: null });
      expect(await prisma.auditEvent.findMany({ where: { action: "run.now", targetId: jobId } })).toMatchObject([{ outcome: "SUCCESS", detail: { logId: log.id }, traceId: log.traceId }]);
      await engine.reached(log.id, "QUEUED");
      await engine.startWorker();
      expect(await engine.final(log.id)).toMatchObject({ status: "SUCCESS", queueJobId: null });
      await engine.stopWorker();
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_queue ON agenda_jobs`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_queue()`);
    }
  });
});

describe("Run Now on the MongoDB queue", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ backend: "mongodb" });
  });
  afterAll(() => engine?.close());

  it("writes the run, its audit row and the QUEUED event in one statement, then puts the queue job and records it", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
    const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" }, { audit: audit(jobId) });
    expect(log.queueJobId).toBeTruthy();
    const final = await engine.final(log.id);
    expect(final).toMatchObject({ status: "SUCCESS", queueJobId: log.queueJobId });
    const statuses = engine.statuses.filter((s) => s.logId === log.id).map((s) => s.status);
    expect(statuses).toEqual(["QUEUED", "RUNNING", "SUCCESS"]);
    expect(await engine.runtime.prisma.auditEvent.findMany({ where: { action: "run.now", targetId: jobId } })).toMatchObject([{ detail: { logId: log.id }, traceId: log.traceId }]);
  });
});
