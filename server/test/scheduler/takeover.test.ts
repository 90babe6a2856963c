// A worker killed (SIGKILL) while it holds the queue job of a slot's runs, just before the slot:
// another worker takes the runs over within seconds (the execution queue jobs' locks are short and
// touched while held), nothing is missed (a QUEUED run does not count as running for the overlap
// rule) and nothing runs twice. The victim is the planner's process, as in the measure.
import { afterEach, describe, expect, it } from "vitest";
import { hostname } from "node:os";
import { EXECUTE_RUNS } from "../../src/runs/queue-jobs.ts";
import { jobData, schedulerWorld, sleep, spawnWorker, startWorkerInProcess, waitFor, type ChildWorker } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const JOBS = 100;
const EVERY_S = 15;

/** Resolves with the worker once its output says it took the planner lease. */
function plannerOf(workers: ChildWorker[]): Promise<ChildWorker> {
  return new Promise((resolve) => {
    for (const w of workers) {
      let seen = "";
      w.child.stdout!.on("data", (d: Buffer) => {
        seen = (seen + d.toString()).slice(-4000);
        if (seen.includes("planner lease taken")) resolve(w);
      });
    }
  });
}

describe("a worker killed holding a slot's runs (PostgreSQL queue)", () => {
  it("has them taken over by another worker before the next slot: none missed, none run twice", async () => {
    // A worker locks up to WORKER_CONCURRENCY queue jobs of runs: with 3, neither can hold all four
    // of the slot's (100 runs in groups of 25), so the victim holds some when it dies.
    const world = await schedulerWorld("postgres", { LOG_LEVEL: "info", WORKER_CONCURRENCY: "3" });
    cleanups.push(world.cleanup);
    const observer = await startWorkerInProcess(world.env, { worker: false, loop: false });
    cleanups.push(() => observer.stop());
    const workers = [spawnWorker(world.env), spawnWorker(world.env)];
    for (const w of workers) cleanups.push(() => w.kill("SIGKILL"));
    const planner = plannerOf(workers);
    const { prisma } = observer.runtime;

    await prisma.job.createMany({ data: Array.from({ length: JOBS }, (_, i) => jobData(`take.${String(i).padStart(3, "0")}`, { cronExpr: `*/${EVERY_S} * * * * *` })) });
    await observer.runtime.events.publish("job.changed", { jobId: "take.000", change: "created" });
    const victim = await planner;
    const survivor = workers.find((w) => w !== victim)!;
    const victimId = `${hostname()}:${victim.child.pid}`;
    const survivorId = `${hostname()}:${survivor.child.pid}`;

    // A slot at least one full period ahead, so the cluster is warm; kill the planner 0.7 s before it.
    const slot = new Date((Math.floor(Date.now() / (EVERY_S * 1000)) + 2) * EVERY_S * 1000);
    const next = new Date(slot.getTime() + EVERY_S * 1000);
    await sleep(slot.getTime() - 700 - Date.now());
    const held = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM agenda_jobs WHERE name = ${EXECUTE_RUNS} AND locked_at IS NOT NULL AND last_modified_by = ${victimId}`;
    await victim.kill("SIGKILL");

    const due = { scheduledAt: { in: [slot, next] } };
    await waitFor(
      async () => (await prisma.jobLog.count({ where: { ...due, status: "SUCCESS" } })) === 2 * JOBS || undefined,
      "the runs of both slots to succeed",
      120_000,
      500,
    ).catch(async (error: Error) => {
      const runs = await prisma.jobLog.groupBy({ by: ["scheduledAt", "status", "workerId"], where: due, _count: true });
      const fires = await prisma.fireRecord.groupBy({ by: ["scheduledAt", "outcome"], where: due, _count: true });
      throw new Error(`${error.message}\nruns ${JSON.stringify(runs)}\nfires ${JSON.stringify(fires)}\nvictim ${victimId}\n${survivor.output().slice(-3000)}`);
    });
    // The victim held part of the slot's runs when it died (else this proves nothing).
    expect(held[0]!.n).toBeGreaterThan(0);

    const records = await prisma.fireRecord.findMany({ where: due });
    expect(records).toHaveLength(2 * JOBS);
    expect(records.every((r) => r.outcome === "FIRED" && r.logId !== null)).toBe(true);
    const runs = await prisma.jobLog.findMany({ where: due });
    expect(runs).toHaveLength(2 * JOBS);
    // One run per (job, slot): none doubled.
    expect(new Set(runs.map((r) => `${r.jobId}@${r.scheduledAt!.toISOString()}`)).size).toBe(2 * JOBS);
    const atSlot = runs.filter((r) => r.scheduledAt!.getTime() === slot.getTime());
    // The survivor ran what the victim held, and every run of the slot started before the next slot.
    expect(atSlot.filter((r) => r.workerId === survivorId).length).toBeGreaterThan(0);
    expect(atSlot.every((r) => r.startedAt!.getTime() >= slot.getTime() && r.startedAt!.getTime() < next.getTime())).toBe(true);
    const late = Math.max(...atSlot.map((r) => r.startedAt!.getTime() - slot.getTime()));
    console.info(`takeover: the slot's last run started ${late} ms after it (victim held ${held[0]!.n} queue job(s))`);
  }, 240_000);
});
