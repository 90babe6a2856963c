import { afterEach, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { jobData, schedulerWorld, SLEEP_HANDLER, spawnWorker, startWorkerInProcess, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe.each<QueueBackendName>(["postgres", "mongodb"])("lost workers on the %s queue backend", (backend) => {
  it("marks the run of a worker killed with SIGKILL ABANDONED, publishes it, and lets it be retried", async () => {
    const world = await schedulerWorld(backend);
    cleanups.push(world.cleanup);
    const victim = spawnWorker(world.env);
    cleanups.push(() => victim.kill("SIGKILL"));
    // This process observes; its own worker part stays off so the run can only go to the victim.
    const observer = await startWorkerInProcess(world.env, { worker: false, loop: false });
    cleanups.push(() => observer.stop());
    const { prisma } = observer.runtime;

    await prisma.job.create({
      data: jobData("sched.long", { triggerType: "DATE", cronExpr: null, startAt: new Date(Date.now() + 2000), handlerPath: SLEEP_HANDLER, publicCfg: { ms: 600_000 } }),
    });
    const running = await waitFor(async () => {
      const l = await prisma.jobLog.findFirst({ where: { jobId: "sched.long" } });
      return l?.status === "RUNNING" ? l : undefined;
    }, `the victim to start the run\n${victim.output()}`, 90_000);
    expect(running.workerId).toContain(String(victim.child.pid));

    const statuses: string[] = [];
    observer.runtime.events.subscribe("jobLog.status", (e) => {
      if (e.logId === running.id) statuses.push(e.status);
    });
    await victim.kill("SIGKILL");

    // The reaper runs in every dispatcher's sweep and in the minute tick; drive it here.
    const abandoned = await waitFor(async () => {
      await observer.dispatcher.tick();
      const l = await prisma.jobLog.findUniqueOrThrow({ where: { id: running.id } });
      return l.status === "ABANDONED" ? l : undefined;
    }, "the run to be marked ABANDONED", 60_000, 1000);
    expect(abandoned.message).toMatch(/stopped sending heartbeats for more than 4 s/);
    expect(abandoned.finishedAt).not.toBeNull();
    await waitFor(async () => statuses.includes("ABANDONED") || undefined, "the jobLog.status event");

    const retry = await enqueueRun(observer.runtime, { kind: "retry", logId: running.id });
    expect(retry.trigger).toBe("RETRY");
    expect(retry.retryOfId).toBe(running.id);
  });
});
