import type { Prisma } from "../db/prisma.ts";

/**
 * Proves a RUNNING run's worker is alive (the abandon sweep reads heartbeat_at) and returns whether
 * an operator asked to cancel it, for a worker that missed the event. Null when the run is no longer
 * this worker's.
 */
export async function heartbeatRun(prisma: Prisma, logId: number, workerId: string): Promise<{ cancelRequestedAt: Date | null } | null> {
  const rows = await prisma.$queryRaw<{ cancel_requested_at: Date | null }[]>`
    UPDATE job_logs SET heartbeat_at = now() WHERE id = ${logId} AND worker_id = ${workerId} RETURNING cancel_requested_at`;
  return rows[0] ? { cancelRequestedAt: rows[0].cancel_requested_at } : null;
}
