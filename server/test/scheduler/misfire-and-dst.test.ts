import { afterEach, describe, expect, it } from "vitest";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { type InProcessWorker, jobData, schedulerWorld, startWorkerInProcess, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

// Sweeps only when a test asks: these tests drive the dispatcher with their own clock.
const MANUAL = { sweepEveryMs: Number.MAX_SAFE_INTEGER };

async function world(backend: QueueBackendName): Promise<InProcessWorker> {
  const w = await schedulerWorld(backend);
  cleanups.push(w.cleanup);
  const worker = await startWorkerInProcess(w.env, { loop: false, timings: MANUAL });
  cleanups.push(() => worker.stop());
  return worker;
}

const at = (iso: string) => new Date(iso);

describe.each<QueueBackendName>(["postgres", "mongodb"])("misfires and DST on the %s queue backend", (backend) => {
  it("after downtime runs one CATCHUP for the latest missed slot and records older misses as SKIPPED_MISFIRE, bounded", async () => {
    const { runtime, dispatcher } = await world(backend);
    const { prisma } = runtime;
    const now = new Date();
    const longAgo = new Date(now.getTime() - 3 * 3600_000);
    await prisma.job.create({ data: jobData("sched.minutely", { cronExpr: "* * * * *", createdAt: longAgo, updatedAt: longAgo }) });
    // The last fire before the "downtime", 30 minutes ago.
    const lastFire = new Date(Math.floor((now.getTime() - 30 * 60_000) / 60_000) * 60_000);
    await prisma.fireRecord.create({ data: { jobId: "sched.minutely", scheduledAt: lastFire, outcome: "FIRED" } });

    await dispatcher.tick(now);
    await dispatcher.tick(now); // a second sweep finds nothing more

    const records = await prisma.fireRecord.findMany({ where: { jobId: "sched.minutely", scheduledAt: { gt: lastFire } }, orderBy: { scheduledAt: "desc" } });
    const catchUps = records.filter((r) => r.outcome === "CATCHUP");
    expect(catchUps).toHaveLength(1);
    const latestMissed = Math.floor((now.getTime() - 15_000) / 60_000) * 60_000;
    expect(catchUps[0]!.scheduledAt.getTime()).toBe(latestMissed);
    const skipped = records.filter((r) => r.outcome === "SKIPPED_MISFIRE");
    expect(skipped).toHaveLength(9);
    expect(skipped[skipped.length - 1]!.note).toMatch(/earlier missed slot\(s\) are not recorded individually/);
    const log = await waitFor(async () => {
      const l = await prisma.jobLog.findFirst({ where: { jobId: "sched.minutely" } });
      return l?.status === "SUCCESS" ? l : undefined;
    }, "the catch-up run to succeed");
    expect(log.trigger).toBe("CATCHUP");
    expect(log.scheduledAt!.getTime()).toBe(latestMissed);
    expect(await prisma.jobLog.count({ where: { jobId: "sched.minutely" } })).toBe(1);
  });

  it("does not catch up a miss older than misfireGraceSeconds, but records it", async () => {
    const { runtime, dispatcher } = await world(backend);
    const { prisma } = runtime;
    const now = at("2026-03-02T12:00:40Z");
    const created = at("2026-03-01T00:00:00Z");
    await prisma.job.create({ data: jobData("sched.daily", { cronExpr: "0 9 * * *", misfireGraceSeconds: 60, createdAt: created, updatedAt: created }) });
    await prisma.fireRecord.create({ data: { jobId: "sched.daily", scheduledAt: at("2026-03-01T09:00:00Z"), outcome: "FIRED" } });
    await dispatcher.tick(now);
    const records = await prisma.fireRecord.findMany({ where: { jobId: "sched.daily" }, orderBy: { scheduledAt: "asc" } });
    expect(records.map((r) => [r.scheduledAt.toISOString(), r.outcome])).toEqual([
      ["2026-03-01T09:00:00.000Z", "FIRED"],
      ["2026-03-02T09:00:00.000Z", "SKIPPED_MISFIRE"],
    ]);
    expect(records[1]!.note).toMatch(/misfireGraceSeconds \(60 s\)/);
    expect(await prisma.jobLog.count()).toBe(0);
  });

  it("plans and fires across DST transitions in the job's zone: a skipped 02:30 once at 03:00, a repeated 01:30 once, an hourly job on both passes", async () => {
    const { runtime, dispatcher } = await world(backend);
    const { prisma } = runtime;
    const zone = "America/New_York";
    const springStart = at("2026-03-08T06:20:00Z"); // 01:20 EST
    const fallStart = at("2026-11-01T04:50:00Z"); // 00:50 EDT
    await prisma.job.create({ data: jobData("dst.spring_0230", { cronExpr: "30 2 * * *", timezone: zone, createdAt: springStart, updatedAt: springStart }) });
    // Passes every 20 s of simulated time across each transition; the fire jobs come due at once (the instants are past).
    const drive = async (from: Date, minutes: number) => {
      for (let t = from.getTime(); t <= from.getTime() + minutes * 60_000; t += 20_000) await dispatcher.pass(new Date(t));
    };
    await drive(springStart, 100);
    await prisma.job.createMany({
      data: [
        jobData("dst.fall_0130", { cronExpr: "30 1 * * *", timezone: zone, createdAt: fallStart, updatedAt: fallStart }),
        jobData("dst.fall_hourly", { cronExpr: "0 * * * *", timezone: zone, allowOverlap: true, createdAt: fallStart, updatedAt: fallStart }),
      ],
    });
    await drive(fallStart, 110);

    const expected: Record<string, string[]> = {
      "dst.spring_0230": ["2026-03-08T07:00:00.000Z"], // 03:00 EDT, the first instant after the gap
      "dst.fall_0130": ["2026-11-01T05:30:00.000Z"], // 01:30 EDT only, not 01:30 EST
      "dst.fall_hourly": ["2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z"], // 01:00 EDT and 01:00 EST
    };
    const total = Object.values(expected).flat().length;
    await waitFor(async () => (await prisma.fireRecord.count()) >= total || undefined, "the DST slots to fire");
    await waitFor(async () => (await prisma.jobLog.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) === 0 || undefined, "runs to end");
    for (const [jobId, slots] of Object.entries(expected)) {
      const records = await prisma.fireRecord.findMany({ where: { jobId }, orderBy: { scheduledAt: "asc" } });
      expect(records.map((r) => r.scheduledAt.toISOString()), jobId).toEqual(slots);
      expect(records.every((r) => r.outcome === "FIRED")).toBe(true);
    }
  });
});
