import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimRuns, prepareClaims } from "../../src/execution/claim.ts";
import { startPrepared, type PreparedStart } from "../../src/runs/index.ts";
import { openRuntime, type Runtime } from "../../src/runtime.ts";
import type { JobLog } from "../../src/generated/prisma/client.ts";
import { openEngine, type Engine } from "../execution/harness.ts";

// The guarded start (a fired run of a job with allowOverlap off) is one call of
// connecthub_start_guarded: the jobs' advisory locks, then the start UPDATE with a snapshot taken
// after they were granted. Two workers here are two runtimes, each with its own connection pool.
let engine: Engine;
let other: Runtime;
beforeAll(async () => {
  engine = await openEngine({ startWorker: false });
  other = await openRuntime(engine.runtime.config);
});
afterAll(async () => {
  if (other) {
    // As the harness does for its own runtime: a queue that never started keeps its pool otherwise.
    await other.queue.agenda.start();
    await other.queue.agenda.stop(true);
    await other.close();
  }
  await engine?.close();
});

const ECHO = "test_jobs.behaviours:EchoJob";

/** A QUEUED run the dispatcher fired for the job's slot `minutesAgo` minutes back, with its fire record. */
async function firedRun(jobId: string, minutesAgo: number): Promise<JobLog> {
  const { prisma } = engine.runtime;
  const slot = new Date((Math.floor(Date.now() / 60_000) - minutesAgo) * 60_000);
  const log = await prisma.jobLog.create({ data: { jobId, trigger: "CRON", scheduledAt: slot, snapshotParams: { planned: true } } });
  await prisma.fireRecord.create({ data: { jobId, scheduledAt: slot, outcome: "FIRED", logId: log.id } });
  return log;
}

async function prepared(runtime: Runtime, log: JobLog): Promise<PreparedStart> {
  const start = (await prepareClaims(runtime, [log])).starts.get(log.id)!;
  expect(start.guarded).toBe(true);
  return start;
}

describe("the guarded start across workers", () => {
  it("starts one of two runs of one job that two workers start at the same moment, never both", async () => {
    const { prisma } = engine.runtime;
    // Repeated: without the lock (or with the overlap check's snapshot taken before it) both
    // statements see no running run of the job and both start, which a round here would catch.
    for (let round = 0; round < 25; round++) {
      const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
      const [a, b] = [await firedRun(id, 1), await firedRun(id, 0)];
      const [startA, startB] = [await prepared(engine.runtime, a), await prepared(other, b)];
      const [byA, byB] = await Promise.all([startPrepared(engine.runtime, [startA], "wA", ["qA"]), startPrepared(other, [startB], "wB", ["qB"])]);
      const started = [...byA, ...byB];
      expect(started).toHaveLength(1);
      const running = await prisma.jobLog.findMany({ where: { jobId: id, status: "RUNNING" } });
      expect(running.map((r) => r.id)).toEqual(started.map((r) => r.id));
      // The returned run is the stored row.
      const { runLog: _a, ...stored } = running[0]!;
      const { runLog: _b, ...returned } = started[0]!;
      expect(returned).toEqual(stored);
      expect(stored.workerId).toBe(byA.length ? "wA" : "wB");
      expect(stored.queueJobId).toBe(byA.length ? "qA" : "qB");
      expect(stored.snapshotParams).toMatchObject({ public_cfg: {} });
      // The other one stays QUEUED, for the claim's per-run path to skip as an overlap.
      expect(await prisma.jobLog.count({ where: { jobId: id, status: "QUEUED" } })).toBe(1);
    }
  });

  it("starts a run that two workers start at the same moment once", async () => {
    const { prisma } = engine.runtime;
    for (let round = 0; round < 10; round++) {
      const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
      const log = await firedRun(id, 0);
      const [startA, startB] = [await prepared(engine.runtime, log), await prepared(other, log)];
      const [byA, byB] = await Promise.all([startPrepared(engine.runtime, [startA], "wA", [null]), startPrepared(other, [startB], "wB", [null])]);
      expect([...byA, ...byB].map((r) => r.id)).toEqual([log.id]);
      expect(await prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } })).toMatchObject({ status: "RUNNING", workerId: byA.length ? "wA" : "wB" });
    }
  });

  it("does not start a run while another worker's run of the job is active: it is skipped as an overlap", async () => {
    const { prisma } = engine.runtime;
    const id = await engine.createJob({ handlerPath: ECHO, enabled: true, cronExpr: "* * * * *" });
    const [earlier, later] = [await firedRun(id, 1), await firedRun(id, 0)];
    // Both judged ready ahead of the instant; the other worker starts the earlier slot first.
    const [startEarlier, ready] = [await prepared(other, earlier), await prepareClaims(engine.runtime, [later])];
    expect((await startPrepared(other, [startEarlier], "wB", [null])).map((r) => r.id)).toEqual([earlier.id]);
    expect(await startPrepared(engine.runtime, [ready.starts.get(later.id)!], "wA", [null])).toEqual([]);
    expect(await prisma.jobLog.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ status: "QUEUED", workerId: null });
    // Through the claim: the prepared start takes nothing, the per-run path records the skip.
    expect((await claimRuns(engine.runtime, [later], "wA", null, ready)).runs).toEqual([]);
    expect(await prisma.jobLog.findUnique({ where: { id: later.id } })).toBeNull();
    expect(await prisma.fireRecord.findFirstOrThrow({ where: { jobId: id, scheduledAt: later.scheduledAt! } })).toMatchObject({
      outcome: "SKIPPED_OVERLAP",
      logId: null,
      note: `Not started: run #${earlier.id} was still RUNNING (allowOverlap is off).`,
    });
  });
});
