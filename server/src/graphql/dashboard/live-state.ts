import type { Prisma } from "../../db/prisma.ts";

export interface ActiveRuns {
  running: number;
  /** Waiting for a worker: created for now or an instant already past. */
  queued: number;
  /** Created ahead of a slot still in the future (the dispatcher plans slightly ahead). */
  planned: number;
}

export interface WorkerAlive {
  workerId: string;
  runningRuns: number;
  lastHeartbeatAt: Date;
}

/** RUNNING/QUEUED counts: only active rows are read, through the (status, id) index. */
export async function activeRuns(prisma: Prisma, now: Date): Promise<ActiveRuns> {
  const [row] = await prisma.$queryRaw<Array<ActiveRuns>>`
    SELECT count(*) FILTER (WHERE status = 'RUNNING')::int AS running,
      count(*) FILTER (WHERE status = 'QUEUED' AND (scheduled_at IS NULL OR scheduled_at <= ${now}))::int AS queued,
      count(*) FILTER (WHERE status = 'QUEUED' AND scheduled_at > ${now})::int AS planned
    FROM job_logs WHERE status IN ('RUNNING', 'QUEUED')`;
  return row ?? { running: 0, queued: 0, planned: 0 };
}

/**
 * Workers seen alive: those whose running runs sent a heartbeat within `aliveSeconds` (the same
 * limit after which the reaper calls a run abandoned). Workers keep no registry of their own, so
 * an idle worker does not appear here.
 */
export async function workersAlive(prisma: Prisma, now: Date, aliveSeconds: number): Promise<WorkerAlive[]> {
  return prisma.$queryRaw<WorkerAlive[]>`
    SELECT worker_id AS "workerId", count(*)::int AS "runningRuns", max(heartbeat_at) AS "lastHeartbeatAt"
    FROM job_logs
    WHERE status = 'RUNNING' AND worker_id IS NOT NULL
      AND heartbeat_at >= ${now}::timestamptz - (${aliveSeconds}::int * interval '1 second')
    GROUP BY worker_id
    ORDER BY worker_id`;
}
