import type { JobLog, Prisma as PrismaNs } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import { recordFiresSkipped } from "../observability/record.ts";
import type { Runtime } from "../runtime.ts";
import { latestSlotAtOrBefore, TriggerValidationError } from "../triggers/index.ts";
import { SCHEDULE_SELECT, scheduleOf } from "../triggers/job-definitions.ts";
import { finalizeRun } from "./finalize.ts";
import { publishStatus } from "./publish.ts";
import { messageColumns } from "./run-messages.ts";
import { FIRED_TRIGGERS, skippedMessage, withdrawnMessage } from "./start-rules.ts";

// A fired run that is not to start leaves in one of three ways: removed with its slot un-planned
// (the edit came before the slot), CANCELLED saying why (the edit came after it was due), or
// removed as SKIPPED_OVERLAP (another run of the job was RUNNING). Each publishes its own event.

/**
 * Records a slot not run because another run was active: the fire record becomes SKIPPED_OVERLAP
 * (with why) and the run that was queued for it is removed, as if the slot had never produced one.
 * False when the run was no longer QUEUED (withdrawn or taken meanwhile).
 */
export async function recordSkippedOverlap(
  tx: PrismaNs.TransactionClient,
  log: Pick<JobLog, "id" | "jobId"> & { scheduledAt: Date },
  blocking: { id: number; status: string },
): Promise<boolean> {
  const { count } = await tx.jobLog.deleteMany({ where: { id: log.id, status: "QUEUED" } });
  if (count === 0) return false;
  recordFiresSkipped("overlap");
  await tx.fireRecord.updateMany({
    where: { jobId: log.jobId, scheduledAt: log.scheduledAt },
    data: { outcome: "SKIPPED_OVERLAP", logId: null, note: skippedMessage(blocking).text },
  });
  return true;
}

/** After recordSkippedOverlap's transaction commits: the run is gone, listeners see it end CANCELLED. */
export function announceSkippedOverlap(runtime: Runtime, log: Pick<JobLog, "id" | "jobId">, blocking: { id: number; status: string }): Promise<void> {
  return publishStatus(runtime, log, "CANCELLED", skippedMessage(blocking));
}

/**
 * Withdraws a fired run that was not started, because of an edit. What the job looked like at the
 * slot's instant decides how: an edit made before the instant means the slot was never wanted, so
 * it is un-planned (run and fire record removed: it reads as never planned and may be planned
 * again if the edit is undone); a run already due when the edit came is CANCELLED saying why, its
 * fire record annotated and the run finalized (event, webhooks). `editedAt` null (the job is gone):
 * by the clock. Null when the run was no longer QUEUED (a worker took it, or someone withdrew it first).
 */
export async function withdrawFiredRun(
  runtime: Runtime,
  run: Pick<JobLog, "id" | "jobId"> & { scheduledAt: Date },
  reason: string,
  editedAt: Date | null,
): Promise<"unplanned" | "cancelled" | null> {
  const unplan = editedAt ? editedAt.getTime() <= run.scheduledAt.getTime() : run.scheduledAt.getTime() > Date.now();
  const { prisma } = runtime;
  if (unplan) {
    const how = await prisma.$transaction(async (tx) => {
      const { count } = await tx.jobLog.deleteMany({ where: { id: run.id, status: "QUEUED" } });
      if (count === 0) return null;
      await tx.fireRecord.deleteMany({ where: { jobId: run.jobId, scheduledAt: run.scheduledAt, logId: run.id } });
      return "unplanned" as const;
    });
    // The run is gone (no final state, no webhook); listeners of it see it end.
    if (how) await publishStatus(runtime, run, "CANCELLED", withdrawnMessage(reason));
    return how;
  }
  const [cancelled] = await prisma.jobLog.updateManyAndReturn({
    where: { id: run.id, status: "QUEUED" },
    data: { status: "CANCELLED", finishedAt: new Date(), ...messageColumns(withdrawnMessage(reason)) },
  });
  if (!cancelled) return null;
  await prisma.fireRecord.updateMany({ where: { jobId: run.jobId, logId: run.id }, data: { note: `Run #${run.id} withdrawn before it started: ${reason}.` } });
  await finalizeRun(runtime, cancelled).published;
  return "cancelled";
}


/**
 * Withdraws fired-but-not-started runs of a job that an edit made unwanted: the job was disabled or
 * deleted, or the run's slot is no longer one of its slots (trigger or zone changed). A slot still
 * ahead is un-planned: its run and fire record are removed (so the slot reads as never planned, and
 * may be planned again if the edit is undone). A slot already due becomes CANCELLED with a message
 * saying why, its fire record annotated. Its queue job is left to find it gone (a worker may hold
 * it locked already: removing it under the worker fails noisily). Manual runs and
 * retries are the operator's and stay. Returns how many were withdrawn.
 */
export async function withdrawUnwantedRuns(runtime: Runtime, jobId: string): Promise<number> {
  const { prisma } = runtime;
  const queued = await prisma.jobLog.findMany({
    where: { jobId, status: "QUEUED", trigger: { in: [...FIRED_TRIGGERS] }, scheduledAt: { not: null } },
    select: { id: true, scheduledAt: true },
  });
  if (queued.length === 0) return 0;
  const job = await prisma.job.findUnique({ where: { id: jobId }, select: SCHEDULE_SELECT });
  const schedule = job ? scheduleOf(job, runtime.config.TIMEZONE) : null;
  const reasonFor = (at: Date): string | null => {
    if (!job) return "the job was deleted";
    if (!job.enabled) return "the job was disabled";
    if (schedule instanceof TriggerValidationError || !schedule) return "the job's trigger became invalid";
    if (latestSlotAtOrBefore(schedule.trigger, schedule.zone, at)?.getTime() !== at.getTime()) return "the job's trigger or time zone changed";
    return null;
  };

  let withdrawn = 0;
  for (const run of queued) {
    const reason = reasonFor(run.scheduledAt!);
    if (!reason) continue;
    const done = await withdrawFiredRun(runtime, { id: run.id, jobId, scheduledAt: run.scheduledAt! }, reason, job?.updatedAt ?? null);
    if (!done) continue;
    withdrawn++;
    logger().info({ job_id: jobId, log_id: run.id, reason, how: done }, "queued run withdrawn");
  }
  return withdrawn;
}
