import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { enqueueRun } from "../../src/execution/index.ts";
import { openRuntime } from "../../src/runtime.ts";
import { jobData, schedulerWorld, sleep, spawnWorker, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const JOBS = 50;

// Jobs planned one at a time (each creation is its own planner pass, so each slot is its own queue
// job) must all start at their shared instant, not one queue poll after another.
describe.each<QueueBackendName>(["postgres", "mongodb"])("every-minute jobs created one by one before their instant, %s queue", (backend) => {
  it(`all ${JOBS} start at the instant, woken rather than polled`, { timeout: 180_000 }, async () => {
    const poll = String(Number(process.env.TEST_QUEUE_POLL_MS ?? 1000));
    const world = await schedulerWorld(backend, { QUEUE_POLL_MS: poll });
    cleanups.push(world.cleanup);
    const runtime = await openRuntime(parseConfig({ PORT: "0", ...world.env }, process.cwd()));
    cleanups.push(() => runtime.close());
    const worker = spawnWorker(world.env);
    cleanups.push(() => worker.kill("SIGTERM"));
    // The worker is up once it has run a Run Now (its planner takes the lease as it starts).
    await runtime.prisma.job.create({ data: jobData("one_by_one.warm_up", { enabled: false }) });
    const warmUp = await enqueueRun(runtime, { kind: "job", jobId: "one_by_one.warm_up", trigger: "MANUAL" });
    await waitFor(async () => (await runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: warmUp.id } })).status === "SUCCESS" || undefined, `the worker\n${worker.output()}`, 120_000);

    // An every-minute slot at a second 17 s ahead; the jobs are created in the 15 s before it.
    const slot = new Date(Math.ceil((Date.now() + 17_000) / 1000) * 1000);
    const cron = `${slot.getUTCSeconds()} * * * * *`;
    for (let i = 0; i < JOBS; i++) {
      const id = `one_by_one.job_${String(i).padStart(2, "0")}`;
      await runtime.prisma.job.create({ data: jobData(id, { cronExpr: cron }) });
      await runtime.events.publish("job.changed", { jobId: id, change: "created" });
      await sleep(12_000 / JOBS);
    }
    expect(Date.now()).toBeLessThan(slot.getTime());

    const runs = await waitFor(async () => {
      const logs = await runtime.prisma.jobLog.findMany({ where: { scheduledAt: slot }, select: { jobId: true, status: true, result: true } });
      return logs.length >= JOBS && logs.every((l) => l.status === "SUCCESS") ? logs : undefined;
    }, `the ${JOBS} runs of the slot\n${worker.output()}`, 150_000);
    expect(new Set(runs.map((r) => r.jobId)).size).toBe(JOBS);
    const lateness = runs.map((r) => (r.result as { startedAtMs: number }).startedAtMs - slot.getTime()).sort((a, b) => a - b);
    console.log(`${backend}: lateness ms`, lateness.join(" "));
  });
});
