import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimPlainRuns, claimRuns, prepareClaims } from "../../src/execution/claim.ts";
import { lockAgeMs } from "../../src/execution/worker-part.ts";
import { startQueued } from "../../src/runs/start.ts";
import { EXECUTE_JOB } from "../../src/runs/queue-jobs.ts";
import { PreparedStarter } from "../../src/execution/prepared-starter.ts";
import type { JobLog } from "../../src/generated/prisma/client.ts";
import { openEngine, type Engine } from "./harness.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ startWorker: false });
});
afterAll(() => engine?.close());

const ECHO = "test_jobs.behaviours:EchoJob";

/** A QUEUED run the dispatcher fired for the job's current minute slot, with its fire record. */
async function firedRun(jobId: string): Promise<JobLog> {
  const { prisma } = engine.runtime;
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const log = await prisma.jobLog.create({ data: { jobId, trigger: "CRON", scheduledAt: slot, snapshotParams: { planned: true } } });
  await prisma.fireRecord.create({ data: { jobId, scheduledAt: slot, outcome: "FIRED", logId: log.id } });
  return log;
}

// The claim is judged ahead of the instant (prepareClaims) and taken at it in one statement; what
// changed in between must still be honoured, exactly as if nothing had been prepared.
describe("claiming prepared runs", () => {
  it("starts unchanged runs together with the configuration judged ahead", async () => {
    const { prisma } = engine.runtime;
    const ids = [await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *", publicCfg: { message: "a" } }), await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *", allowOverlap: true })];
    const logs = [await firedRun(ids[0]!), await firedRun(ids[1]!)];
    const prepared = await prepareClaims(engine.runtime, logs);
    const { runs, jobs } = await claimRuns(engine.runtime, logs, "w1", null, prepared);
    expect(runs.map((r) => r.id).sort()).toEqual(logs.map((l) => l.id).sort());
    expect(new Set(runs.map((r) => r.startedAt!.getTime())).size).toBe(1);
    expect([...jobs.keys()].sort()).toEqual([...ids].sort());
    const stored = await prisma.jobLog.findUniqueOrThrow({ where: { id: logs[0]!.id } });
    expect(stored).toMatchObject({ status: "RUNNING", workerId: "w1", snapshotParams: { public_cfg: { message: "a" } } });
  });

  it("starts a run whose job was edited after it was judged with the job as it is at the instant", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *", publicCfg: { message: "judged" } });
    const log = await firedRun(id);
    const prepared = await prepareClaims(engine.runtime, [log]);
    await prisma.job.update({ where: { id }, data: { publicCfg: { message: "edited" } } });
    const { runs } = await claimRuns(engine.runtime, [log], "w1", null, prepared);
    expect(runs).toHaveLength(1);
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } })).snapshotParams).toMatchObject({ public_cfg: { message: "edited" } });
  });

  it("withdraws a run whose job was disabled after it was judged", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
    const log = await firedRun(id);
    const prepared = await prepareClaims(engine.runtime, [log]);
    await prisma.job.update({ where: { id }, data: { enabled: false } });
    expect((await claimRuns(engine.runtime, [log], "w1", null, prepared)).runs).toEqual([]);
    expect(await prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } })).toMatchObject({ status: "CANCELLED", message: "Withdrawn before it started: the job was disabled." });
  });

  it("skips a run whose job got another active run after it was judged (allowOverlap off), recording why", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
    const log = await firedRun(id);
    const prepared = await prepareClaims(engine.runtime, [log]);
    const busy = await prisma.jobLog.create({ data: { jobId: id, trigger: "MANUAL", status: "RUNNING", snapshotParams: {}, startedAt: new Date() } });
    expect((await claimRuns(engine.runtime, [log], "w1", null, prepared)).runs).toEqual([]);
    expect(await prisma.jobLog.findUnique({ where: { id: log.id } })).toBeNull();
    expect(await prisma.fireRecord.findFirstOrThrow({ where: { jobId: id } })).toMatchObject({
      outcome: "SKIPPED_OVERLAP",
      logId: null,
      note: `Not started: run #${busy.id} was still RUNNING (allowOverlap is off).`,
    });
  });

  it("never starts a run twice: a second claim of the same prepared runs takes nothing", async () => {
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
    const log = await firedRun(id);
    const prepared = await prepareClaims(engine.runtime, [log]);
    const [first, second] = await Promise.all([claimRuns(engine.runtime, [log], "w1", null, prepared), claimRuns(engine.runtime, [log], "w2", null, prepared)]);
    expect(first.runs.length + second.runs.length).toBe(1);
  });

  it("starts the runs of queue jobs that come due together in one statement, each with its own queue job", async () => {
    const { prisma } = engine.runtime;
    const groups = [];
    for (let g = 0; g < 3; g++) {
      const logs = [];
      for (let i = 0; i < 3; i++) logs.push(await firedRun(await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" })));
      groups.push(logs);
    }
    const starter = new PreparedStarter(engine.runtime, "w1");
    const prepared = await Promise.all(groups.map((logs) => prepareClaims(engine.runtime, logs)));
    const results = await Promise.all(groups.map((logs, g) => claimRuns(engine.runtime, logs, "w1", `queue-job-${g}`, prepared[g], starter)));
    expect(results.map((r) => r.runs.length)).toEqual([3, 3, 3]);
    const stored = await prisma.jobLog.findMany({ where: { id: { in: groups.flat().map((l) => l.id) } } });
    expect(stored.map((l) => l.queueJobId).sort()).toEqual(["queue-job-0", "queue-job-0", "queue-job-0", "queue-job-1", "queue-job-1", "queue-job-1", "queue-job-2", "queue-job-2", "queue-job-2"]);
    // Asked for in the same turn of the event loop: one statement stamps one start time on all.
    expect(new Set(stored.map((l) => l.startedAt!.getTime())).size).toBe(1);
  });

  it("gives a run asked for by two queue jobs in one coalesced start to one of them only (a queue that delivered twice)", async () => {
    const { prisma } = engine.runtime;
    const logs = [];
    for (let i = 0; i < 4; i++) logs.push(await firedRun(await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" })));
    const starter = new PreparedStarter(engine.runtime, "w1");
    const prepared = await prepareClaims(engine.runtime, logs);
    const [first, ...rest] = logs.map((l) => prepared.starts.get(l.id)!);
    // All asked for in one turn: the two deliveries of the same runs share one statement.
    const [, a, b] = await Promise.all([starter.start([first!], "other"), starter.start(rest, "delivery-a"), starter.start(rest, "delivery-b")]);
    expect(a!.length + b!.length).toBe(3);
    expect([...a!, ...b!].map((r) => r.id).sort()).toEqual(rest.map((s) => s.log.id).sort());
    expect((await prisma.jobLog.findMany({ where: { id: { in: logs.map((l) => l.id) } } })).every((l) => l.status === "RUNNING")).toBe(true);
  });

  /** Holds run `logId`'s row in another transaction until `release` is called: a start of it waits for that. */
  async function holdRow(logId: number): Promise<{ release: () => Promise<void> }> {
    let done = () => {};
    const held = new Promise<void>((r) => (done = r));
    let locked = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = engine.runtime.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM job_logs WHERE id = ${logId} FOR UPDATE`;
      locked();
      await held;
    }, { timeout: 60_000 });
    await isLocked;
    return { release: () => (done(), holder) };
  }
  const nextTurn = () => new Promise((r) => setImmediate(r));

  it("sends a start asked for while another is in flight at once, without waiting for it (a freed run slot's next run)", async () => {
    const logs = [];
    for (let i = 0; i < 2; i++) logs.push(await firedRun(await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *", allowOverlap: true })));
    const starter = new PreparedStarter(engine.runtime, "w1");
    const prepared = await prepareClaims(engine.runtime, logs);
    const [blocked, free] = logs.map((l) => prepared.starts.get(l.id)!);
    const hold = await holdRow(blocked!.log.id);
    const order: string[] = [];
    const first = starter.start([blocked!], "a").then((runs) => (order.push("first"), runs));
    await nextTurn();
    const second = await starter.start([free!], "b");
    order.push("second");
    await hold.release();
    expect((await first).map((r) => r.id)).toEqual([blocked!.log.id]);
    expect(second.map((r) => r.id)).toEqual([free!.log.id]);
    expect(order).toEqual(["second", "first"]);
  });

  it("keeps at most two starts in flight: later ones wait for one to come back and go out together", async () => {
    const { prisma } = engine.runtime;
    const logs = [];
    for (let i = 0; i < 4; i++) logs.push(await firedRun(await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *", allowOverlap: true })));
    const starter = new PreparedStarter(engine.runtime, "w1");
    const prepared = await prepareClaims(engine.runtime, logs);
    const [a, b, c, d] = logs.map((l) => prepared.starts.get(l.id)!);
    const holdA = await holdRow(a!.log.id);
    const holdB = await holdRow(b!.log.id);
    const order: string[] = [];
    const started = [a, b, c, d].map((s, i) => ({ s, i }));
    const promises: Promise<unknown>[] = [];
    // Each asked for in a turn of its own: a and b go out at once and wait on their rows.
    for (const { s, i } of started) {
      promises.push(starter.start([s!], `q${i}`).then(() => order.push("abcd"[i]!)));
      await nextTurn();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual([]);
    await holdA.release();
    await Promise.all([promises[0], promises[2], promises[3]]);
    expect(order.slice(0, 1)).toEqual(["a"]);
    expect(order).not.toContain("b");
    await holdB.release();
    await Promise.all(promises);
    const stored = await prisma.jobLog.findMany({ where: { id: { in: [c!.log.id, d!.log.id] } } });
    // c and d waited behind the two in flight, then shared one statement: one start time.
    expect(new Set(stored.map((l) => l.startedAt!.getTime())).size).toBe(1);
    expect(stored.every((l) => l.status === "RUNNING")).toBe(true);
  });
});

// A plain run (Run Now, a retry) is claimed by one UPDATE … RETURNING: nothing is read before it,
// and the run and its job's webhook settings come back from it.
describe("claiming plain runs in one statement", () => {
  const asked = (...logIds: number[]) => logIds.map((logId) => ({ logId, queueJobId: null }));
  async function plainRun(jobId: string, data: Partial<{ status: "QUEUED" | "CANCELLED" }> = {}): Promise<JobLog> {
    return engine.runtime.prisma.jobLog.create({ data: { jobId, trigger: "MANUAL", snapshotParams: { handler_path: ECHO }, ...data } });
  }

  it("returns the run as it is stored after the claim, and the job's webhook settings", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, webhookUrl: "http://127.0.0.1:9/hook", webhookWhen: "ALWAYS", webhookFormat: "FEISHU", timezone: "Europe/Paris" });
    const log = await plainRun(id);
    const [claimed, ...more] = await claimPlainRuns(engine.runtime, [{ logId: log.id, queueJobId: "queue-job-1" }], "w1");
    expect(more).toEqual([]);
    // Every column the worker goes on with, as Prisma would read it back.
    expect(claimed!.run).toEqual(await prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } }));
    expect(claimed!.run).toMatchObject({ status: "RUNNING", workerId: "w1", queueJobId: "queue-job-1" });
    const job = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect(claimed!.webhook).toEqual({ timezone: "Europe/Paris", webhookUrl: "http://127.0.0.1:9/hook", webhookFormat: "FEISHU", webhookWhen: "ALWAYS", webhookSecret: job.webhookSecret });
  });

  it("returns nothing for a run already taken, cancelled, or fired for a slot", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
    const taken = await plainRun(id);
    const cancelled = await plainRun(id, { status: "CANCELLED" });
    const fired = await firedRun(id);
    expect(await claimPlainRuns(engine.runtime, asked(taken.id), "w1")).toHaveLength(1);
    expect(await claimPlainRuns(engine.runtime, asked(taken.id, cancelled.id, fired.id), "w2")).toEqual([]);
    expect(await prisma.jobLog.findUniqueOrThrow({ where: { id: taken.id } })).toMatchObject({ status: "RUNNING", workerId: "w1" });
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: fired.id } })).status).toBe("QUEUED");
  });

  it("starts a run claimed by two workers at once for one of them only", async () => {
    const id = await engine.createJob({ handlerPath: ECHO });
    const log = await plainRun(id);
    const [a, b] = await Promise.all([claimPlainRuns(engine.runtime, asked(log.id), "w1"), claimPlainRuns(engine.runtime, asked(log.id), "w2")]);
    expect(a.length + b.length).toBe(1);
  });
});

// A worker with free run slots takes plain runs still waiting in the queue into the same claim
// statement (PostgreSQL queue), instead of one queue lock, claim and removal each.
describe("taking waiting runs into a plain claim", () => {
  // What other tests here left QUEUED would be taken too: these start from a table with nothing waiting.
  beforeEach(() => engine.runtime.prisma.jobLog.updateMany({ where: { status: "QUEUED" }, data: { status: "CANCELLED" } }));
  it("takes due, unlocked single-run queue jobs oldest first up to the limit, starts their runs and removes only the queue jobs of runs it started", async () => {
    const { prisma, queue } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
    const plain = (data: Partial<{ status: "QUEUED" | "CANCELLED" }> = {}) => prisma.jobLog.create({ data: { jobId: id, trigger: "MANUAL", snapshotParams: { handler_path: ECHO }, ...data } });
    // Each run's queue job recorded on it, as a hand-over does (a plain run without one is taken from its row).
    const queued = async (log: JobLog, at?: Date) => {
      const id = String((at ? await queue.agenda.schedule(at, EXECUTE_JOB, { logId: log.id }) : await queue.agenda.now(EXECUTE_JOB, { logId: log.id })).attrs._id);
      await prisma.jobLog.update({ where: { id: log.id }, data: { queueJobId: id } });
      return id;
    };
    const asked = await plain();
    const [first, second, third] = [await plain(), await plain(), await plain()];
    const jobs = { first: await queued(first!), second: await queued(second!), third: await queued(third!) };
    const locked = await plain();
    const lockedJob = await queued(locked);
    await prisma.$executeRaw`UPDATE agenda_jobs SET locked_at = now() WHERE id = ${lockedJob}::uuid`;
    const cancelled = await plain({ status: "CANCELLED" });
    const cancelledJob = await queued(cancelled);
    const fired = await firedRun(id);
    const firedJob = await queued(fired);
    const later = await plain();
    const laterJob = await queued(later, new Date(Date.now() + 3_600_000));
    // The cancelled and fired runs' queue jobs are older than the plain ones' after them: make them the oldest.
    await prisma.$executeRaw`UPDATE agenda_jobs SET next_run_at = next_run_at - interval '1 minute' WHERE id IN (${cancelledJob}::uuid, ${firedJob}::uuid)`;

    // Room for the asked run and two more: the two oldest plain ones (the older queue jobs of a
    // cancelled and a fired run are not taken: their runs cannot start here).
    const started = await claimPlainRuns(engine.runtime, [{ logId: asked.id, queueJobId: "delivery" }], "w1", 2);
    expect(started.map((s) => s.run.id)).toEqual([asked.id, first!.id, second!.id]);
    expect(started.map((s) => s.run.queueJobId)).toEqual(["delivery", jobs.first, jobs.second]);
    expect(started.every((s) => s.run.status === "RUNNING" && s.run.workerId === "w1")).toBe(true);

    const left = await prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM agenda_jobs WHERE name = ${EXECUTE_JOB}`;
    expect(left.map((r) => r.id).sort()).toEqual([jobs.third, lockedJob, cancelledJob, firedJob, laterJob].sort());
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: third!.id } })).status).toBe("QUEUED");
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: locked.id } })).status).toBe("QUEUED");
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: fired.id } })).status).toBe("QUEUED");
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: later.id } })).status).toBe("QUEUED");
    await prisma.$executeRaw`DELETE FROM agenda_jobs WHERE name = ${EXECUTE_JOB}`;
  });

  it("takes a waiting run once when two workers take at the same moment", async () => {
    const { prisma, queue } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO });
    const logs = await Promise.all(Array.from({ length: 6 }, () => prisma.jobLog.create({ data: { jobId: id, trigger: "MANUAL", snapshotParams: { handler_path: ECHO } } })));
    // Half in queue jobs of their own, half with their row as their queue entry.
    for (const log of logs.slice(0, 3)) {
      const job = await queue.agenda.now(EXECUTE_JOB, { logId: log.id });
      await prisma.jobLog.update({ where: { id: log.id }, data: { queueJobId: String(job.attrs._id) } });
    }
    const [a, b] = await Promise.all([claimPlainRuns(engine.runtime, [], "w1", 6), claimPlainRuns(engine.runtime, [], "w2", 6)]);
    const ids = [...a, ...b].map((s) => s.run.id).sort((x, y) => x - y);
    expect(ids).toEqual(logs.map((l) => l.id).sort((x, y) => x - y));
    expect((await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM agenda_jobs WHERE name = ${EXECUTE_JOB}`)[0]!.n).toBe(0n);
  });
});

describe("taking runs whose row is their queue entry", () => {
  beforeEach(() => engine.runtime.prisma.jobLog.updateMany({ where: { status: "QUEUED" }, data: { status: "CANCELLED" } }));
  it("takes QUEUED plain rows without a queue job, oldest first, within one limit shared with the queue's jobs", async () => {
    const { prisma, queue } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO });
    const plain = () => prisma.jobLog.create({ data: { jobId: id, trigger: "MANUAL", snapshotParams: { handler_path: ECHO } } });
    const rows = [await plain(), await plain()];
    const inQueue = await plain();
    const job = await queue.agenda.now(EXECUTE_JOB, { logId: inQueue.id });
    await prisma.jobLog.update({ where: { id: inQueue.id }, data: { queueJobId: String(job.attrs._id) } });
    const newest = await plain();
    const started = await claimPlainRuns(engine.runtime, [], "w1", 3);
    // The two oldest rows and the queued one (queued before the newest row was written); the newest waits.
    expect(started.map((s) => s.run.id)).toEqual([rows[0]!.id, rows[1]!.id, inQueue.id]);
    expect(started.map((s) => s.run.queueJobId)).toEqual([null, null, String(job.attrs._id)]);
    expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: newest.id } })).status).toBe("QUEUED");
    expect((await claimPlainRuns(engine.runtime, [], "w2", 3)).map((s) => s.run.id)).toEqual([newest.id]);
  });
});

describe("a job's lastRunAt", () => {
  it("moves forward with a later slot's start and is not written when an earlier slot starts", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *", allowOverlap: true });
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const at = (m: number) => new Date(minute - m * 60_000);
    const run = (slot: Date) => prisma.jobLog.create({ data: { jobId: id, trigger: "CRON", scheduledAt: slot, snapshotParams: {} } });
    const start = async (log: JobLog) => startQueued(prisma, [{ log, job: null, snapshot: null }], "w1", [null]);
    const xmin = async () => (await prisma.$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM jobs WHERE id = ${id}`)[0]!.xmin;

    await start(await run(at(1)));
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).lastRunAt).toEqual(at(1));
    const version = await xmin();
    // A caught-up older slot starting later: lastRunAt stays, and the row is not rewritten.
    await start(await run(at(3)));
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).lastRunAt).toEqual(at(1));
    expect(await xmin()).toBe(version);
    await start(await run(at(0)));
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).lastRunAt).toEqual(at(0));
  });
});

describe("a queue job's lock age", () => {
  it("is the time since the queue locked it, and unbounded without a lock", () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(lockAgeMs({ attrs: { lockedAt: new Date(now - 1500) } } as never, now)).toBe(1500);
    expect(lockAgeMs({ attrs: {} } as never, now)).toBe(Number.POSITIVE_INFINITY);
  });
});
