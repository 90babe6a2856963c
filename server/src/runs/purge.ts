import type { Prisma } from "../db/prisma.ts";
import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import { ACTIVE_STATUSES } from "./status.ts";

// Removing runs' rows: a job's deletion, an operator's purge, the retention policy. Active runs
// (QUEUED, RUNNING) are never removed here.

type Db = PrismaNs.TransactionClient;

/** How many of the job's runs are QUEUED or RUNNING. */
export function countActiveRuns(db: Db, jobId: string, createdBefore?: Date): Promise<number> {
  return db.jobLog.count({ where: { jobId, status: { in: [...ACTIVE_STATUSES] }, ...(createdBefore ? { createdAt: { lt: createdBefore } } : {}) } });
}

/** Every run of a job about to be deleted (the caller checked, in its transaction, that none is active). */
export async function purgeRunsOfJob(tx: Db, jobId: string): Promise<number> {
  return (await tx.jobLog.deleteMany({ where: { jobId } })).count;
}

/** A job's ended runs (those created before `createdBefore`, when given). */
export async function purgeEndedRuns(db: Db, jobId: string, createdBefore?: Date): Promise<number> {
  const where = { jobId, status: { notIn: [...ACTIVE_STATUSES] }, ...(createdBefore ? { createdAt: { lt: createdBefore } } : {}) };
  return (await db.jobLog.deleteMany({ where })).count;
}

/** Retention: up to `batch` ended runs created before `cutoff`, oldest first. */
export function purgeRunsCreatedBefore(prisma: Prisma, cutoff: Date, batch: number): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM job_logs WHERE id IN (
      SELECT id FROM job_logs
      WHERE created_at < ${cutoff} AND status::text <> ALL(${[...ACTIVE_STATUSES]}::text[])
      ORDER BY created_at LIMIT ${batch})`;
}

/** Retention: up to `batch` of a job's ended runs beyond its `keep` newest. */
export function purgeRunsBeyondNewest(prisma: Prisma, jobId: string, keep: number, batch: number): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM job_logs WHERE id IN (
      SELECT id FROM job_logs
      WHERE job_id = ${jobId} AND status::text <> ALL(${[...ACTIVE_STATUSES]}::text[])
      ORDER BY id DESC OFFSET ${keep} LIMIT ${batch})`;
}
