import type { Job } from "../generated/prisma/client.ts";
import { nextFireTimes, triggerFromJob } from "../triggers/index.ts";

/**
 * The instants a job will fire next, as the dispatcher computes them. A disabled job, a spent
 * one-shot date job or a job whose stored trigger no longer parses fires never: empty list.
 */
export function nextFires(job: Job, count: number, serverZone: string, after = new Date()): Date[] {
  if (!job.enabled || job.completedAt || count <= 0) return [];
  try {
    const { trigger, zone } = triggerFromJob(job, serverZone);
    return nextFireTimes(trigger, zone, after, count);
  } catch {
    return [];
  }
}
