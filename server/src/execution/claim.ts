import type { JobLog } from "../generated/prisma/client.ts";
import type { Runtime } from "../runtime.ts";

const LOAD_ATTEMPTS = 10;
const LOAD_RETRY_MS = 500;

/**
 * The run an execute job names. A caller may enqueue inside its own transaction, so the queue job
 * can arrive before the log is committed: wait a little before concluding it does not exist.
 */
export async function loadRun(runtime: Runtime, logId: number): Promise<JobLog | null> {
  for (let i = 0; i < LOAD_ATTEMPTS; i++) {
    const log = await runtime.prisma.jobLog.findUnique({ where: { id: logId } });
    if (log) return log;
    await new Promise((r) => setTimeout(r, LOAD_RETRY_MS));
  }
  return null;
}

/**
 * Takes a QUEUED run for this worker. The conditional update is the only way into RUNNING, so
 * two workers holding execute jobs for the same run can never both start it.
 */
export async function claimRun(runtime: Runtime, logId: number, workerId: string, queueJobId: string | null): Promise<JobLog | null> {
  const now = new Date();
  const { count } = await runtime.prisma.jobLog.updateMany({
    where: { id: logId, status: "QUEUED" },
    data: { status: "RUNNING", startedAt: now, heartbeatAt: now, workerId, ...(queueJobId ? { queueJobId } : {}) },
  });
  if (count === 0) return null;
  // Raw SQL: a run starting is not an edit of the job, so `updatedAt` must not move; GREATEST keeps
  // concurrent runs from moving lastRunAt backwards.
  await runtime.prisma.$executeRaw`UPDATE jobs SET last_run_at = GREATEST(COALESCE(last_run_at, ${now}), ${now}) WHERE id = (SELECT job_id FROM job_logs WHERE id = ${logId})`;
  return runtime.prisma.jobLog.findUnique({ where: { id: logId } });
}

/**
 * Gives a QUEUED run back (a stopping worker must not start new runs): clearing queueJobId makes
 * any worker's recovery sweep hand it to the queue again.
 */
export async function releaseRun(runtime: Runtime, logId: number): Promise<void> {
  await runtime.prisma.jobLog.updateMany({ where: { id: logId, status: "QUEUED" }, data: { queueJobId: null } });
}
