import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { firePlannedSlots } from "../../src/scheduler/fire-planned-slots.ts";
import { jobData, schedulerWorld, startWorkerInProcess, waitFor } from "./scheduler-harness.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});

const RECORDER = "test_jobs.span-recorder:SpanRecorderJob";

// More runs due at one instant than the worker has run slots: each next run starts once a
// handler has ended (its slot freed), never more at once than WORKER_CONCURRENCY, none early.
describe.each<QueueBackendName>(["postgres", "mongodb"])("an instant with more runs than run slots on the %s queue backend", (backend) => {
  it("starts each next run after a slot frees, at most WORKER_CONCURRENCY handlers at once, none before its slot", async () => {
    const w = await schedulerWorld(backend, { WORKER_CONCURRENCY: "2" });
    cleanups.push(w.cleanup);
    const worker = await startWorkerInProcess(w.env, { loop: false });
    cleanups.push(() => worker.stop());
    const { prisma } = worker.runtime;
    const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-waves-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "spans.txt");
    // Handlers of different lengths, so slots free one at a time rather than in pairs.
    const ids = Array.from({ length: 6 }, (_, i) => `waves.run_${i}`);
    await prisma.job.createMany({ data: ids.map((id, i) => jobData(id, { cronExpr: "* * * * * *", handlerPath: RECORDER, publicCfg: { file, ms: 100 + 150 * (i % 3) } })) });
    const slot = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    expect(await firePlannedSlots(worker.runtime, ids.map((jobId) => ({ jobId, at: slot })))).toEqual({ fired: 6, skipped: 0 });

    await waitFor(async () => (await prisma.jobLog.count({ where: { scheduledAt: slot, status: "SUCCESS" } })) === 6 || undefined, "the six runs to end");
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(" "));
    expect(lines).toHaveLength(12);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    for (const [what, logId, at] of lines) {
      if (what === "start") {
        // The third run onwards starts only once a handler has ended: a slot is free.
        expect(running).toBeLessThan(2);
        expect(Number(at)).toBeGreaterThanOrEqual(slot.getTime());
        started.push(Number(logId));
        most = Math.max(most, ++running);
      } else running--;
    }
    expect(most).toBe(2);
    expect(new Set(started).size).toBe(6);
    const runs = await prisma.jobLog.findMany({ where: { scheduledAt: slot } });
    expect(runs.map((r) => r.id).sort()).toEqual([...started].sort());
    expect(runs.every((r) => r.startedAt!.getTime() >= slot.getTime())).toBe(true);
  });
});
