// SIGTERM to a worker process under load: it starts no run after the signal (queued ones, and
// those it held, go back to the cluster), lets running ones finish within SHUTDOWN_GRACE_SECONDS,
// exits 0, and every run is accounted for once another worker drains the rest.
import { afterEach, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { schedulerWorld, SLEEP_HANDLER, spawnWorker, startWorkerInProcess, waitFor } from "../scheduler/scheduler-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const RUNS = 40;

describe("SIGTERM to a worker under load", () => {
  it("starts nothing after the signal, finishes what runs, exits 0, and leaves the rest to another worker", async () => {
    const world = await schedulerWorld("postgres", { WORKER_CONCURRENCY: "4", SHUTDOWN_GRACE_SECONDS: "10", LOG_LEVEL: "info" });
    cleanups.push(world.cleanup);
    const observer = await startWorkerInProcess(world.env, { worker: false, loop: false });
    cleanups.push(() => observer.stop());
    const victim = spawnWorker(world.env);
    cleanups.push(() => victim.kill("SIGKILL"));
    const exited = new Promise<number | null>((r) => victim.child.once("exit", (code) => r(code)));
    // "After the signal" is when the process handles it (its "shutting down" line), not when it was sent.
    let handledAt: Date | null = null;
    let lines = "";
    victim.child.stdout!.on("data", (d: Buffer) => {
      lines = (lines + d.toString()).slice(-10_000);
      const m = /\{[^\n]*"msg":"shutting down"[^\n]*\}/.exec(lines);
      if (m && !handledAt) handledAt = new Date((JSON.parse(m[0]) as { time: string }).time);
    });
    const { prisma } = observer.runtime;

    await prisma.job.create({ data: { id: "stop.sleepy", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 1500 }, enabled: false, allowOverlap: true } });
    const logIds: number[] = [];
    for (let i = 0; i < RUNS; i++) logIds.push((await enqueueRun(observer.runtime, { kind: "job", jobId: "stop.sleepy", trigger: "MANUAL" })).id);
    // Under load: some runs done, some running, most still queued.
    await waitFor(async () => (await prisma.jobLog.count({ where: { status: "SUCCESS" } })) >= 4 || undefined, `runs to go through the victim\n${victim.output()}`, 90_000);
    victim.child.kill("SIGTERM");
    expect(await exited, victim.output()).toBe(0);
    const signalledAt = handledAt!;
    expect(signalledAt).toBeInstanceOf(Date);

    const after = await prisma.jobLog.findMany({ where: { id: { in: logIds } } });
    // Nothing started after the signal, and nothing was left RUNNING: it finished or was cancelled.
    expect(after.filter((l) => l.startedAt && l.startedAt > signalledAt).map((l) => l.id)).toEqual([]);
    expect(after.filter((l) => l.status === "RUNNING").map((l) => l.id)).toEqual([]);
    const queued = after.filter((l) => l.status === "QUEUED");
    expect(queued.length).toBeGreaterThan(0);

    // Another worker takes the rest: every run ends, each once.
    const rescuer = await startWorkerInProcess(world.env, { loop: false });
    cleanups.push(() => rescuer.stop());
    await waitFor(async () => (await prisma.jobLog.count({ where: { id: { in: logIds }, status: { in: ["QUEUED", "RUNNING"] } } })) === 0 || undefined, "the rest to run", 120_000);
    const final = await prisma.jobLog.findMany({ where: { id: { in: logIds } } });
    expect(final.every((l) => l.status === "SUCCESS" || l.status === "CANCELLED")).toBe(true);
    expect(final.filter((l) => queued.some((q) => q.id === l.id)).every((l) => l.status === "SUCCESS")).toBe(true);
  }, 300_000);
});
