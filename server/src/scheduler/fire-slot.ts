import { DuplicateFireError, enqueueRun } from "../execution/index.ts";
import type { RunTrigger } from "../generated/prisma/enums.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { SCHEDULE_SELECT, scheduleOf } from "./job-definitions.ts";
import type { JobLocks } from "./job-lock.ts";
import { latestSlotAtOrBefore, TriggerValidationError } from "./triggers/index.ts";

export type FireOutcomeKind = "FIRED" | "CATCHUP";

/** What deciding one slot came to. */
export type FireResult =
  | { kind: "enqueued"; logId: number }
  | { kind: "duplicate" }
  | { kind: "skipped-overlap"; blockingLogId: number }
  | { kind: "withdrawn"; reason: string };

/**
 * Decides the slot (job, at) now, at its instant: re-reads the job (so disable, delete, trigger and
 * zone edits made after planning count), applies the overlap rule, and enqueues the run with its
 * fire record. The FireRecord primary key makes this at-most-once whoever calls it and how often.
 */
export async function fireSlot(runtime: Runtime, locks: JobLocks, jobId: string, at: Date, outcome: FireOutcomeKind): Promise<FireResult> {
  const { prisma } = runtime;
  const key = { jobId_scheduledAt: { jobId, scheduledAt: at } };
  // Cheap exit for a slot another dispatcher already decided (a re-planned or duplicate fire job).
  if (await prisma.fireRecord.findUnique({ where: key, select: { outcome: true } })) return { kind: "duplicate" };

  const job = await prisma.job.findUnique({ where: { id: jobId }, select: SCHEDULE_SELECT });
  if (!job) return { kind: "withdrawn", reason: "the job was deleted" };
  if (!job.enabled) return { kind: "withdrawn", reason: "the job is disabled" };
  if (job.triggerType === "DATE" && job.completedAt) return { kind: "withdrawn", reason: "the date trigger already fired" };
  const schedule = scheduleOf(job, runtime.config.TIMEZONE);
  if (schedule instanceof TriggerValidationError) return { kind: "withdrawn", reason: `its trigger is invalid: ${schedule.message}` };
  // A planned slot must still be one of the job's slots (a catch-up slot was computed from the current trigger).
  if (latestSlotAtOrBefore(schedule.trigger, schedule.zone, at)?.getTime() !== at.getTime()) {
    return { kind: "withdrawn", reason: "the job's trigger or time zone changed" };
  }
  const trigger: RunTrigger = outcome === "CATCHUP" ? "CATCHUP" : job.triggerType;

  const enqueue = async (): Promise<FireResult> => {
    try {
      const log = await enqueueRun(runtime, { kind: "job", jobId, trigger, scheduledAt: at }, { fire: { scheduledAt: at, outcome } });
      return { kind: "enqueued", logId: log.id };
    } catch (error) {
      if (error instanceof DuplicateFireError) return { kind: "duplicate" };
      throw error;
    }
  };

  const result = job.allowOverlap
    ? await enqueue()
    : await locks.withLock(jobId, async (): Promise<FireResult> => {
        const active = await prisma.jobLog.findFirst({
          where: { jobId, status: { in: ["QUEUED", "RUNNING"] } },
          select: { id: true, status: true },
          orderBy: { id: "asc" },
        });
        if (!active) return enqueue();
        const { count } = await prisma.fireRecord.createMany({
          data: [{ jobId, scheduledAt: at, outcome: "SKIPPED_OVERLAP", note: `Not started: run #${active.id} was still ${active.status} (allowOverlap is off).` }],
          skipDuplicates: true,
        });
        return count === 1 ? { kind: "skipped-overlap", blockingLogId: active.id } : { kind: "duplicate" };
      });

  if (job.triggerType === "DATE" && result.kind !== "duplicate") await markDateCompleted(runtime, jobId);
  if (result.kind === "skipped-overlap") {
    logger().info({ job_id: jobId, scheduled_at: at.toISOString(), blocking_log_id: result.blockingLogId }, "slot skipped: previous run still active");
  }
  return result;
}

/** A date trigger has one slot: once it is decided (run or skipped) the job never fires again. */
export async function markDateCompleted(runtime: Runtime, jobId: string): Promise<void> {
  // Raw SQL: firing is not an edit of the job, so updatedAt must not move.
  await runtime.prisma.$executeRaw`UPDATE jobs SET completed_at = now() WHERE id = ${jobId} AND completed_at IS NULL`;
}
