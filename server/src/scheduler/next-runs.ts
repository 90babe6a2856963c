import { DEFAULT_TIME_ZONE, type JobTriggerFields, nextFireTimes, triggerFromJob } from "../triggers/index.ts";

export interface NextRunsJob extends JobTriggerFields {
  readonly completedAt?: Date | null;
}

/**
 * The next `count` instants the job is scheduled for, strictly after `after` (default now), for the
 * admin's preview and the jobs list. A DATE job that has fired has none. Disabled jobs still get
 * their would-be times: the caller decides whether to show them. Throws TriggerValidationError for
 * an invalid trigger (an API preview of a draft shows the field's message).
 */
export function nextRuns(job: NextRunsJob, count: number, after: Date = new Date(), serverZone: string = process.env.TIMEZONE || DEFAULT_TIME_ZONE): Date[] {
  if (job.triggerType === "DATE" && job.completedAt) return [];
  const { trigger, zone } = triggerFromJob(job, serverZone);
  return nextFireTimes(trigger, zone, after, count);
}
