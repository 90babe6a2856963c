import type { Prisma as PrismaNs, Job, JobLog } from "../generated/prisma/client.ts";
import { type JobDefinition, scheduleOf } from "../triggers/job-definitions.ts";
import { latestSlotAtOrBefore, TriggerValidationError } from "../triggers/index.ts";
import { runMessage, withdrawnMessageFor, type RunMessage } from "./run-messages.ts";

/** Triggers of the runs the dispatcher fires: whether they start is decided when a worker takes them. */
export const FIRED_TRIGGERS = ["CRON", "INTERVAL", "DATE", "CATCHUP"] as const;

/** A run the dispatcher fired for a slot (planned ahead or caught up), as opposed to a manual run or a retry. */
export function isFiredRun(log: Pick<JobLog, "trigger" | "scheduledAt">): log is typeof log & { scheduledAt: Date } {
  return log.scheduledAt !== null && (FIRED_TRIGGERS as readonly string[]).includes(log.trigger);
}

export type StartVerdict<J extends JobDefinition = Job> = { kind: "start"; job: J } | { kind: "withdraw"; reason: string; editedAt: Date | null };

/**
 * What the slot's instant decides about a fired run, from the job as it is now: a disable, delete,
 * trigger or zone edit made after the dispatcher planned the slot withdraws it.
 */
export function judgeFiredStart<J extends JobDefinition>(job: J | null, log: { scheduledAt: Date }, serverZone: string): StartVerdict<J> {
  if (!job) return { kind: "withdraw", reason: "the job was deleted", editedAt: null };
  if (!job.enabled) return { kind: "withdraw", reason: "the job was disabled", editedAt: job.updatedAt };
  if (job.triggerType === "DATE" && job.completedAt) return { kind: "withdraw", reason: "the date trigger already fired", editedAt: job.updatedAt };
  const schedule = scheduleOf(job, serverZone);
  if (schedule instanceof TriggerValidationError) return { kind: "withdraw", reason: `its trigger is invalid: ${schedule.message}`, editedAt: job.updatedAt };
  if (latestSlotAtOrBefore(schedule.trigger, schedule.zone, log.scheduledAt)?.getTime() !== log.scheduledAt.getTime()) {
    return { kind: "withdraw", reason: "the job's trigger or time zone changed", editedAt: job.updatedAt };
  }
  return { kind: "start", job };
}

/**
 * Takes the jobs' advisory locks for the rest of the transaction, in one order (so two workers'
 * batches never deadlock): starting a run of a job with allowOverlap off happens under it.
 * The same keys as connecthub_start_guarded (migration 20261129193000_start_guarded) takes.
 */
export async function lockJobs(tx: PrismaNs.TransactionClient, jobIds: readonly string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT count(pg_advisory_xact_lock(k))::int AS locked
    FROM (SELECT DISTINCT hashtext('connecthub.job:' || j) AS k FROM unnest(${[...new Set(jobIds)]}::text[]) AS j ORDER BY k) AS keys`;
}

/**
 * The overlap rule (allowOverlap off), inside the claim's transaction: takes the advisory lock of
 * each run's job (in one order, so two workers' batches never deadlock), so "is another run of
 * this job running?" and "start this one" never interleave with another slot's claim, and returns,
 * for each run that may not start, the run that blocks it. Only a RUNNING run blocks: a QUEUED one
 * has not started (the dispatcher queues slots ahead; a dead worker's held runs are QUEUED until
 * another worker takes them over), and counting it would skip slots for a run that may never be
 * running. Two runs of one job in the same batch are the caller's to order.
 */
export async function blockingRuns(
  tx: PrismaNs.TransactionClient,
  runs: ReadonlyArray<Pick<JobLog, "id" | "jobId"> & { scheduledAt: Date }>,
): Promise<Map<number, { id: number; status: string }>> {
  await lockJobs(tx, runs.map((r) => r.jobId));
  const rows = await tx.$queryRaw<{ log_id: number; id: number; status: string }[]>`
    SELECT DISTINCT ON (c.id) c.id AS log_id, b.id, b.status::text AS status
    FROM job_logs AS c
    JOIN job_logs AS b ON b.job_id = c.job_id AND b.id <> c.id AND b.status = 'RUNNING'
    WHERE c.id = ANY(${runs.map((r) => r.id)}::int[])
    ORDER BY c.id, b.id`;
  return new Map(rows.map((r) => [r.log_id, { id: r.id, status: r.status }]));
}

// run-messages: a withdrawn run's message, coded from the reason's words.
export const withdrawnMessage = (reason: string): RunMessage => withdrawnMessageFor(reason);

// run-messages: a skipped slot's message (its run is deleted; the event and the fire record's note say why).
export const skippedMessage = (blocking: { id: number; status: string }): RunMessage =>
  runMessage("RUN_SKIPPED_OVERLAP", { blockingId: blocking.id, blockingStatus: blocking.status });

/** A date trigger has one slot: once it is decided (run or skipped) the job never fires again. */
export async function markDatesCompleted(db: PrismaNs.TransactionClient, jobIds: readonly string[]): Promise<void> {
  // Raw SQL: firing is not an edit of the job, so updatedAt must not move.
  await db.$executeRaw`UPDATE jobs SET completed_at = now() WHERE id = ANY(${[...jobIds]}::text[]) AND completed_at IS NULL`;
}
