import { publishStatus } from "../execution/publish.ts";
import { runMessage } from "../execution/run-messages.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";

/**
 * Marks RUNNING runs whose worker stopped heart-beating (killed, frozen, cut off) as ABANDONED, so
 * they can be retried, and publishes the change. Compares against the database clock: workers and
 * dispatchers on different machines need not agree on the time. Safe in every process at once (the
 * update is conditional; each run is reported by whoever changed it).
 */
export async function sweepAbandonedRuns(runtime: Runtime, abandonAfterSeconds = runtime.config.ABANDON_AFTER_SECONDS): Promise<number> {
  // run-messages: stored as English text with its code and parameters.
  const message = runMessage("RUN_ABANDONED", { seconds: abandonAfterSeconds });
  const rows = await runtime.prisma.$queryRaw<{ id: number; job_id: string; worker_id: string | null }[]>`
    UPDATE job_logs
    SET status = 'ABANDONED', finished_at = now(), message = ${message.text},
        message_code = ${message.code}, message_params = ${JSON.stringify(message.params)}::jsonb
    WHERE status = 'RUNNING'
      AND COALESCE(heartbeat_at, started_at, created_at) < now() - (${abandonAfterSeconds}::int * interval '1 second')
    RETURNING id, job_id, worker_id`;
  for (const row of rows) {
    logger().warn({ log_id: row.id, job_id: row.job_id, worker_id: row.worker_id }, "run abandoned: its worker stopped heart-beating");
    await publishStatus(runtime, { id: row.id, jobId: row.job_id }, "ABANDONED", message);
  }
  return rows.length;
}
