import { publishStatus } from "../execution/publish.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { SCHEDULE_SELECT, scheduleOf } from "./job-definitions.ts";
import { FIRED_TRIGGERS, withdrawFiredRun, withdrawnMessage } from "./start-check.ts";
import { latestSlotAtOrBefore, TriggerValidationError } from "./triggers/index.ts";

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
    const done = await withdrawFiredRun(prisma, { id: run.id, jobId, scheduledAt: run.scheduledAt! }, reason, job?.updatedAt ?? null);
    if (!done) continue;
    withdrawn++;
    await publishStatus(runtime, { id: run.id, jobId }, "CANCELLED", withdrawnMessage(reason));
    logger().info({ job_id: jobId, log_id: run.id, reason, how: done }, "queued run withdrawn");
  }
  return withdrawn;
}
