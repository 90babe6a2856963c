import { publishStatus } from "../execution/publish.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { SCHEDULE_SELECT, scheduleOf } from "./job-definitions.ts";
import { latestSlotAtOrBefore, TriggerValidationError } from "./triggers/index.ts";

const SCHEDULED_TRIGGERS = ["CRON", "INTERVAL", "DATE", "CATCHUP"] as const;

/**
 * Withdraws fired-but-not-started runs of a job that an edit made unwanted: the job was disabled or
 * deleted, or the run's slot is no longer one of its slots (trigger or zone changed). Each becomes
 * CANCELLED with a message saying why, its fire record is annotated, its queue job removed.
 * Manual runs and retries are the operator's and stay. Returns how many were withdrawn.
 * (Planned slots whose fire job has not come due yet need nothing: the fire job re-reads the job.)
 */
export async function withdrawUnwantedRuns(runtime: Runtime, jobId: string): Promise<number> {
  const { prisma } = runtime;
  const queued = await prisma.jobLog.findMany({
    where: { jobId, status: "QUEUED", trigger: { in: [...SCHEDULED_TRIGGERS] }, scheduledAt: { not: null } },
    select: { id: true, scheduledAt: true, queueJobId: true },
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
    const message = `Withdrawn before it started: ${reason}.`;
    const now = new Date();
    const { count } = await prisma.jobLog.updateMany({
      where: { id: run.id, status: "QUEUED" },
      data: { status: "CANCELLED", finishedAt: now, message },
    });
    if (count === 0) continue; // a worker took it, or another dispatcher withdrew it
    withdrawn++;
    await prisma.fireRecord.updateMany({ where: { jobId, logId: run.id }, data: { note: `Run #${run.id} withdrawn before it started: ${reason}.` } });
    if (run.queueJobId) await runtime.queue.agenda.cancel({ id: run.queueJobId }).catch(() => undefined);
    await publishStatus(runtime, { id: run.id, jobId }, "CANCELLED", message);
    logger().info({ job_id: jobId, log_id: run.id, reason }, "queued run withdrawn");
  }
  return withdrawn;
}
