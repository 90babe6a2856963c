import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import type { Prisma } from "../db/prisma.ts";
import { type JobSchedule, triggerFromJob, TriggerValidationError } from "./index.ts";

/** The columns the scheduler reads: everything that decides when a job fires, nothing it runs with. */
export const SCHEDULE_SELECT = {
  id: true,
  enabled: true,
  triggerType: true,
  cronExpr: true,
  intervalSeconds: true,
  startAt: true,
  timezone: true,
  completedAt: true,
  allowOverlap: true,
  misfireGraceSeconds: true,
  createdAt: true,
  updatedAt: true,
} satisfies PrismaNs.JobSelect;

export type JobDefinition = PrismaNs.JobGetPayload<{ select: typeof SCHEDULE_SELECT }>;

/** Enabled jobs that can still fire (a completed DATE job never does); one query. */
export function loadEnabledDefinitions(prisma: Prisma): Promise<JobDefinition[]> {
  return prisma.job.findMany({ where: { enabled: true, completedAt: null }, select: SCHEDULE_SELECT });
}

/** What changes a job's slots: a change of it re-plans the job and withdraws runs no longer wanted. */
export function scheduleFingerprint(job: JobDefinition, serverZone: string): string {
  return [job.enabled, job.triggerType, job.cronExpr, job.intervalSeconds, job.startAt?.toISOString(), job.timezone ?? serverZone].join("|");
}

/** The job's schedule, or the validation error that keeps it from firing (a row edited behind the API's back). */
export function scheduleOf(job: JobDefinition, serverZone: string): JobSchedule | TriggerValidationError {
  try {
    return triggerFromJob(job, serverZone);
  } catch (error) {
    if (error instanceof TriggerValidationError) return error;
    throw error;
  }
}
