import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { putExecuteJob } from "./queue-jobs.ts";

/** A QUEUED run without a queue job is left alone this long (its enqueue may still be finishing). */
export const ORPHAN_AFTER_MS = 5_000;
/** A QUEUED run whose queue job exists is checked against the queue after this long. */
export const STALE_AFTER_MS = 30_000;
const BATCH = 100;

/**
 * Hands QUEUED runs back to the queue when their queue job never got created (a crash between the
 * database commit and the enqueue, a queue outage, a stopping worker that gave the run back) or is
 * gone or finished without taking the run. Safe to run in every worker at once: the queue job id
 * is swapped in with a conditional update, and a duplicate queue job finds the run taken.
 */
export async function sweepQueuedRuns(runtime: Runtime): Promise<number> {
  const now = Date.now();
  const orphans = await runtime.prisma.jobLog.findMany({
    where: {
      status: "QUEUED",
      queueJobId: null,
      createdAt: { lt: new Date(now - ORPHAN_AFTER_MS) },
      // On the PostgreSQL queue a run without a slot is its own queue entry: workers take it from the
      // table (startPlainRuns's takeWaiting). Only a run with a slot (fired, or a retry of one) needs a queue job.
      ...(runtime.queue.backend === "postgres" ? { scheduledAt: { not: null } } : {}),
    },
    select: { id: true, queueJobId: true },
    orderBy: { id: "asc" },
    take: BATCH,
  });
  const waiting = await runtime.prisma.jobLog.findMany({
    where: { status: "QUEUED", queueJobId: { not: null }, createdAt: { lt: new Date(now - STALE_AFTER_MS) } },
    select: { id: true, queueJobId: true },
    orderBy: { id: "asc" },
    take: BATCH,
  });
  const lost = waiting.length ? await missingFromQueue(runtime, waiting) : [];
  let handed = 0;
  for (const run of [...orphans, ...lost]) {
    const queueJobId = await putExecuteJob(runtime, run.id);
    const { count } = await runtime.prisma.jobLog.updateMany({
      where: { id: run.id, status: "QUEUED", queueJobId: run.queueJobId },
      data: { queueJobId },
    });
    if (count === 1) {
      handed++;
      logger().warn({ log_id: run.id, previous_queue_job: run.queueJobId }, "re-queued a run whose queue job was missing");
    } else {
      // Another worker got there first, or the run moved on: drop our extra queue job.
      await runtime.queue.agenda.cancel({ id: queueJobId }).catch(() => undefined);
    }
  }
  return handed;
}

async function missingFromQueue(runtime: Runtime, runs: { id: number; queueJobId: string | null }[]) {
  const ids = runs.map((r) => r.queueJobId!);
  const { jobs } = await runtime.queue.agenda.queryJobs({ ids, limit: ids.length });
  const live = new Set(jobs.filter((j) => j.state !== "completed" && j.state !== "failed").map((j) => String(j._id)));
  return runs.filter((r) => !live.has(r.queueJobId!));
}
