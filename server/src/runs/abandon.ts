import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { finalizeRunsById } from "./finalize.ts";
import { runMessage } from "./run-messages.ts";

/**
 * Marks RUNNING runs whose worker stopped heart-beating (killed, frozen, cut off) as ABANDONED, so
 * they can be retried, and finalizes them (status event, webhooks: ABANDONED counts as a failure).
 * Compares against the database clock: workers and dispatchers on different machines need not
 * agree on the time. Safe in every process at once (the update is conditional; each run is
 * finalized by whoever changed it). The webhooks go on after this resolves (`notified`).
 */
export async function sweepAbandonedRuns(runtime: Runtime, abandonAfterSeconds = runtime.config.ABANDON_AFTER_SECONDS): Promise<number> {
  return (await abandonStaleRuns(runtime, abandonAfterSeconds)).count;
}

export async function abandonStaleRuns(runtime: Runtime, abandonAfterSeconds: number): Promise<{ count: number; notified: Promise<void> }> {
  // run-messages: stored as English text with its code and parameters.
  const message = runMessage("RUN_ABANDONED", { seconds: abandonAfterSeconds });
  const rows = await runtime.prisma.$queryRaw<{ id: number; job_id: string; worker_id: string | null }[]>`
    UPDATE job_logs
    SET status = 'ABANDONED', finished_at = now(), message = ${message.text},
        message_code = ${message.code}, message_params = ${JSON.stringify(message.params)}::jsonb
    WHERE status = 'RUNNING'
      AND COALESCE(heartbeat_at, started_at, created_at) < now() - (${abandonAfterSeconds}::int * interval '1 second')
    RETURNING id, job_id, worker_id`;
  for (const row of rows) logger().warn({ log_id: row.id, job_id: row.job_id, worker_id: row.worker_id }, "run abandoned: its worker stopped heart-beating");
  const { published, notified } = await finalizeRunsById(runtime, rows.map((r) => r.id));
  await published;
  return { count: rows.length, notified };
}
