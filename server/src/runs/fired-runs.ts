import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { publishStatus } from "./publish.ts";
import { EXECUTE_RUNS, putExecuteRunsJob, RUNS_LEAD_MS, RUNS_PER_QUEUE_JOB } from "./queue-jobs.ts";
import { snapshotOfJob } from "./snapshot.ts";

// The batched create and hand-over for the runs of planned slots due at one instant.

/**
 * Inside the caller's transaction: the slot's fire records (the primary key drops slots fired
 * already), the QUEUED runs (snapshotted as the job is now; the claim snapshots again) and the
 * links between them. Returns the runs created.
 */
export async function createFiredRuns(tx: PrismaNs.TransactionClient, at: Date, jobIds: string[]): Promise<Array<{ id: number; jobId: string }>> {
  // ON CONFLICT DO NOTHING: a slot fired already (an earlier planner, a restart mid-minute) stays as it is.
  const recorded = await tx.$queryRaw<{ job_id: string }[]>`
    INSERT INTO fire_records (job_id, scheduled_at, outcome)
    SELECT id, ${at}::timestamptz, 'FIRED'::"FireOutcome" FROM jobs WHERE id = ANY(${jobIds}::text[])
    ON CONFLICT DO NOTHING
    RETURNING job_id`;
  if (recorded.length === 0) return [];
  const jobs = await tx.job.findMany({ where: { id: { in: recorded.map((r) => r.job_id) } } });
  const logs = await tx.jobLog.createManyAndReturn({
    data: jobs.map((job) => ({
      jobId: job.id,
      trigger: job.triggerType,
      scheduledAt: at,
      snapshotParams: snapshotOfJob(job, job.triggerType, at) as unknown as PrismaNs.InputJsonObject,
    })),
    select: { id: true, jobId: true },
  });
  await tx.$executeRaw`
    UPDATE fire_records AS f SET log_id = v.log_id
    FROM unnest(${logs.map((l) => l.jobId)}::text[], ${logs.map((l) => l.id)}::int[]) AS v(job_id, log_id)
    WHERE f.job_id = v.job_id AND f.scheduled_at = ${at}::timestamptz`;
  return logs;
}

/**
 * After createFiredRuns' commit: one execute-runs queue job due at the instant takes them all (a
 * waiting one of the same instant when it has room, see joinWaitingGroup, else a new one),
 * recorded on each run, and each run's QUEUED goes out. If the queue refuses, a worker's recovery
 * sweep hands them over.
 */
export async function handOverFiredRuns(runtime: Runtime, logs: ReadonlyArray<{ id: number; jobId: string }>, at: Date): Promise<void> {
  const logIds = logs.map((l) => l.id);
  try {
    const queueJobId = (await joinWaitingGroup(runtime, logIds, at)) ?? (await putExecuteRunsJob(runtime, logIds, at));
    await runtime.prisma.jobLog.updateMany({ where: { id: { in: logIds }, queueJobId: null }, data: { queueJobId } });
  } catch (err) {
    logger().warn({ err, scheduled_at: at.toISOString(), runs: logIds.length }, "runs recorded but the queue refused them; a worker's recovery sweep will hand them over");
  }
  await Promise.all(logs.map((log) => publishStatus(runtime, log, "QUEUED")));
}

/**
 * Jobs planned one at a time (created or enabled one after another before a shared instant) are
 * fired by separate passes, each a group of one: a queue job each, locked one query at a time, and
 * a worker holds only so many groups, so the last of 50 used to start seconds after the instant.
 * Instead the runs join a group of the same instant that no worker has locked yet, while it has
 * room; the queue then carries a few full groups, taken in one poll. Returns that group's queue job id.
 */
async function joinWaitingGroup(runtime: Runtime, logIds: number[], at: Date): Promise<string | null> {
  const dueAt = new Date(at.getTime() - RUNS_LEAD_MS);
  if (dueAt.getTime() <= Date.now()) return null;
  return runtime.queue.appendToWaitingJob({ name: EXECUTE_RUNS, dueAt, field: "logIds", values: logIds, max: RUNS_PER_QUEUE_JOB });
}
