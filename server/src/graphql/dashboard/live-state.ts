import type { Prisma } from "../../db/prisma.ts";

export interface ActiveRuns {
  running: number;
  /** Waiting for a worker: created for now or an instant already past. */
  queued: number;
  /** Created ahead of a slot still in the future (the dispatcher plans slightly ahead). */
  planned: number;
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

/** RUNNING runs per worker id, now (a worker's own figure is only as fresh as its last beat). */
export async function runningByWorker(prisma: Prisma): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<Array<{ worker_id: string; n: number }>>`
    SELECT worker_id, count(*)::int AS n FROM job_logs WHERE status = 'RUNNING' AND worker_id IS NOT NULL GROUP BY worker_id`;
  return new Map(rows.map((r) => [r.worker_id, r.n]));
}
