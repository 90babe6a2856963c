import { Prisma, type JobLog } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { blockingRun, isFiredRun, judgeFiredStart, markDateCompletedIn, recordSkippedOverlap, withdrawFiredRun, withdrawnMessage } from "../scheduler/start-check.ts";
import { publishStatus } from "./publish.ts";
import { type RunSnapshot, snapshotOfJob } from "./snapshot.ts";

/**
 * The run an execute job names. Runs are queued only after their log is committed (enqueue.ts), so
 * a missing log was removed meanwhile (purged, its job deleted, or a planned slot withdrawn).
 */
export function loadRun(runtime: Runtime, logId: number): Promise<JobLog | null> {
  return runtime.prisma.jobLog.findUnique({ where: { id: logId } });
}

/**
 * Takes a QUEUED run for this worker. The conditional update is the only way into RUNNING, so
 * two workers holding execute jobs for the same run can never both start it.
 *
 * A run the dispatcher fired for a slot is decided here, at its instant (the dispatcher queued it
 * ahead): a job disabled, deleted or re-timed since withdraws it, the overlap rule may skip it (its
 * fire record says so), and it starts with the job's configuration as it is now. Null when the
 * run does not start.
 */
export async function claimRun(runtime: Runtime, log: JobLog, workerId: string, queueJobId: string | null): Promise<JobLog | null> {
  if (!isFiredRun(log)) return startQueued(runtime.prisma, log, workerId, queueJobId, null);
  const job = await runtime.prisma.job.findUnique({ where: { id: log.jobId } });
  const verdict = judgeFiredStart(job, log, runtime.config.TIMEZONE);
  if (verdict.kind === "withdraw") {
    const how = await withdrawFiredRun(runtime.prisma, log, verdict.reason, verdict.editedAt);
    if (how) {
      logger().info({ job_id: log.jobId, log_id: log.id, reason: verdict.reason, how }, "queued run withdrawn at its slot");
      await publishStatus(runtime, log, "CANCELLED", withdrawnMessage(verdict.reason));
    }
    return null;
  }
  const snapshot = snapshotOfJob(verdict.job, log.trigger, log.scheduledAt);
  const isDate = verdict.job.triggerType === "DATE";
  if (verdict.job.allowOverlap) {
    const claimed = await startQueued(runtime.prisma, log, workerId, queueJobId, snapshot);
    if (claimed && isDate) await markDateCompletedIn(runtime.prisma, log.jobId);
    return claimed;
  }
  const outcome = await runtime.prisma.$transaction(
    async (tx) => {
      const blocking = await blockingRun(tx, log);
      if (blocking) {
        const skipped = await recordSkippedOverlap(tx, log, blocking);
        if (skipped && isDate) await markDateCompletedIn(tx, log.jobId);
        return { claimed: null, skipped: skipped ? blocking : null };
      }
      const claimed = await startQueued(tx, log, workerId, queueJobId, snapshot);
      if (claimed && isDate) await markDateCompletedIn(tx, log.jobId);
      return { claimed, skipped: null };
    },
    // A burst of slots queues claims behind each other on the same job lock and the pool.
    { maxWait: 30_000, timeout: 30_000 },
  );
  if (outcome.skipped) {
    const { id, status } = outcome.skipped;
    logger().info({ job_id: log.jobId, scheduled_at: log.scheduledAt.toISOString(), blocking_log_id: id }, "slot skipped: previous run still active");
    await publishStatus(runtime, log, "CANCELLED", `Not started: run #${id} was still ${status} (allowOverlap is off).`);
  }
  return outcome.claimed;
}

/**
 * QUEUED → RUNNING (with a fresh snapshot for a fired run) and the job's lastRunAt, in one statement:
 * this is on every run's path to its handler.
 */
async function startQueued(
  db: Prisma.TransactionClient,
  log: JobLog,
  workerId: string,
  queueJobId: string | null,
  snapshot: RunSnapshot | null,
): Promise<JobLog | null> {
  const now = new Date();
  const snapshotJson = snapshot ? JSON.stringify(snapshot) : null;
  // lastRunAt by raw SQL: a run starting is not an edit of the job, so `updatedAt` must not move;
  // GREATEST keeps concurrent runs from moving it backwards.
  const rows = await db.$queryRaw<{ cancel_requested_at: Date | null; queue_job_id: string | null }[]>`
    WITH claimed AS (
      UPDATE job_logs
      SET status = 'RUNNING', started_at = ${now}, heartbeat_at = ${now}, worker_id = ${workerId},
          queue_job_id = COALESCE(${queueJobId}, queue_job_id),
          snapshot_params = COALESCE(${snapshotJson}::jsonb, snapshot_params)
      WHERE id = ${log.id} AND status = 'QUEUED'
      RETURNING job_id, cancel_requested_at, queue_job_id
    ), touched AS (
      UPDATE jobs SET last_run_at = GREATEST(COALESCE(last_run_at, ${now}), ${now}) WHERE id = (SELECT job_id FROM claimed)
    )
    SELECT cancel_requested_at, queue_job_id FROM claimed`;
  const row = rows[0];
  if (!row) return null; // another worker took it, or it was withdrawn or cancelled
  return {
    ...log,
    status: "RUNNING",
    startedAt: now,
    heartbeatAt: now,
    workerId,
    queueJobId: row.queue_job_id,
    cancelRequestedAt: row.cancel_requested_at,
    snapshotParams: snapshot ? (snapshot as unknown as Prisma.JsonObject) : log.snapshotParams,
  };
}

/**
 * Gives a QUEUED run back (a stopping worker must not start new runs): clearing queueJobId makes
 * any worker's recovery sweep hand it to the queue again.
 */
export async function releaseRun(runtime: Runtime, logId: number): Promise<void> {
  await runtime.prisma.jobLog.updateMany({ where: { id: logId, status: "QUEUED" }, data: { queueJobId: null } });
}
