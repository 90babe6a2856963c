import type { Prisma } from "../../db/prisma.ts";
import { nextFires } from "../next-fires.ts";

export interface UpcomingFire {
  jobId: string;
  at: Date;
}

/**
 * The next `count` fires across all enabled jobs: each job's own next `count` instants, merged.
 * Computed like Job.nextFireTimes, so the two never disagree.
 */
export async function upcomingFires(prisma: Prisma, count: number, serverZone: string, now: Date): Promise<UpcomingFire[]> {
  const jobs = await prisma.job.findMany({ where: { enabled: true, completedAt: null } });
  return jobs
    .flatMap((job) => nextFires(job, count, serverZone, now).map((at) => ({ jobId: job.id, at })))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.jobId.localeCompare(b.jobId))
    .slice(0, count);
}
