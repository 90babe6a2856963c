import type { JobLog } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { putExecuteRunsJob } from "./queue-jobs.ts";

/**
 * Gives QUEUED runs a stopping worker holds back to the cluster at once: one new execute-runs
 * queue job per slot instant (due at its lead, or now), recorded on each run that still names
 * `queueJobId` (the delivery that brought it here). This worker's queue processor is stopped by
 * then, so another worker takes the new job at its next poll, at the instant for a planned slot.
 * If the queue refuses, the runs are released for the recovery sweep (any worker, seconds later).
 */
export async function handBackRuns(runtime: Runtime, logs: readonly Pick<JobLog, "id" | "scheduledAt">[], queueJobId: string | null): Promise<void> {
  if (logs.length === 0) return;
  const byInstant = new Map<number, number[]>();
  for (const log of logs) {
    const at = log.scheduledAt?.getTime() ?? 0;
    byInstant.set(at, [...(byInstant.get(at) ?? []), log.id]);
  }
  for (const [at, ids] of byInstant) {
    let newQueueJobId: string;
    try {
      newQueueJobId = await putExecuteRunsJob(runtime, ids, new Date(at));
    } catch (err) {
      logger().warn({ err, log_ids: ids }, "stopping worker could not hand runs back to the queue; the recovery sweep will");
      await releaseRuns(runtime, ids);
      continue;
    }
    const { count } = await runtime.prisma.jobLog.updateMany({ where: { id: { in: ids }, status: "QUEUED", queueJobId }, data: { queueJobId: newQueueJobId } });
    // None was still ours to hand back (taken, withdrawn, re-queued by a sweep): drop the extra job.
    if (count === 0) await runtime.queue.agenda.cancel({ id: newQueueJobId }).catch(() => undefined);
    else logger().info({ log_ids: ids, queue_job: newQueueJobId }, "stopping worker handed runs back to the queue");
  }
}

/**
 * Gives QUEUED runs back (a stopping worker must not start new runs): clearing queueJobId makes
 * any worker's recovery sweep hand them to the queue again.
 */
export async function releaseRuns(runtime: Runtime, logIds: readonly number[]): Promise<void> {
  if (logIds.length === 0) return;
  await runtime.prisma.jobLog.updateMany({ where: { id: { in: [...logIds] }, status: "QUEUED" }, data: { queueJobId: null } });
}
